using System.Text.Json;
using System.Text.RegularExpressions;
using Karibu.Data;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Hosting;

/// <summary>
/// Turns what goes wrong before or outside a handler into problem+json: unreadable JSON and values
/// of the wrong type name their field, a refused cross-tenant write looks like any unknown id, a
/// lost race on a unique key is a 409, and nothing else ever shows a stack trace.
/// </summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => JsonProblem(json),
            BadHttpRequestException bad => BindingProblem(bad),
            CrossTenantWriteException => Problems.Body(StatusCodes.Status404NotFound, "Not found", "No such resource."),
            DbUpdateException { InnerException: Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.StringDataRightTruncation } } =>
                Problems.Body(StatusCodes.Status400BadRequest, "A value is too long", "A value in the request is longer than this field allows."),
            DbUpdateException => Problems.Body(StatusCodes.Status409Conflict, "Conflict", "The change conflicts with an existing record; reload and try again."),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested =>
                Problems.Body(499, "Client closed request", "The request was cancelled."),
            _ => null,
        };

        if (problem is null)
        {
            log.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            problem = Problems.Body(StatusCodes.Status500InternalServerError, "Something went wrong", "An unexpected error occurred; it has been logged.");
        }
        else if (problem.Status == StatusCodes.Status409Conflict)
        {
            log.LogWarning(exception, "Write conflict on {Method} {Path}", context.Request.Method, context.Request.Path);
        }

        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static HttpValidationProblemDetails JsonProblem(JsonException json)
    {
        var field = FieldFromPath(json.Path);
        var message = json.Message.Contains("could not be mapped", StringComparison.Ordinal)
            ? "Unknown field."
            : field == "body"
                ? "The request body is not valid JSON."
                : "Has the wrong type or format for this field.";
        if (json.Message.Contains("could not be mapped", StringComparison.Ordinal) && UnmappedName().Match(json.Message) is { Success: true } m
            && field != m.Groups[1].Value && !field.EndsWith($".{m.Groups[1].Value}", StringComparison.Ordinal))
        {
            field = field == "body" ? m.Groups[1].Value : $"{field}.{m.Groups[1].Value}";
        }

        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request body is not valid",
            Detail = field == "body" ? "The request body is malformed JSON or not a JSON object." : $"Field '{field}': {message}",
        };
    }

    private static ProblemDetails BindingProblem(BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problems.Body(413, "Request body too large", $"Request bodies are limited to {BodySizeLimit.MaxBytes / 1024 / 1024} MB.");
        }

        if (BindFailure().Match(bad.Message) is { Success: true } m)
        {
            var name = JsonNamingPolicy.SnakeCaseLower.ConvertName(m.Groups[1].Value);
            return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [name] = [$"'{m.Groups[2].Value}' is not a valid value."] })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request is not valid",
            };
        }

        var detail = bad.Message.Contains("body was empty", StringComparison.OrdinalIgnoreCase)
            || bad.Message.Contains("Implicit body inferred", StringComparison.Ordinal)
            ? "A JSON request body is required."
            : bad.StatusCode == StatusCodes.Status415UnsupportedMediaType
                ? "Send the body as application/json."
                : "The request could not be read.";
        return Problems.Body(bad.StatusCode, bad.StatusCode == 415 ? "Unsupported media type" : "Bad request", detail);
    }

    /// <summary>$.business_hours.mon[0].open → business_hours.mon[0].open</summary>
    private static string FieldFromPath(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    [GeneratedRegex("""The JSON property '([^']+)'""")]
    private static partial Regex UnmappedName();

    [GeneratedRegex("""Failed to bind parameter "[^" ]+ ([^"]+)" from "([^"]*)"\.""")]
    private static partial Regex BindFailure();
}

/// <summary>
/// Bodies over 1 MB are refused before anyone reads them; WhatsApp webhooks may carry up to 3 MB
/// (a batch of up to 1,000 updates, specs/whatsapp-cloud-api.md §2.5), and the owner app's contact import and business
/// settings (the photo upload) up to 8 MB, so that a file over its own limit gets the page's message rather than a bare 413.
/// </summary>
internal sealed class BodySizeLimit(RequestDelegate next)
{
    public const long MaxBytes = 1024 * 1024;
    public const long WhatsAppWebhookMaxBytes = 3 * 1024 * 1024;
    public const long UploadPageMaxBytes = 8 * 1024 * 1024;

    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problems)
    {
        var max = context.Request.Path.StartsWithSegments("/api/v1/webhooks/whatsapp", StringComparison.OrdinalIgnoreCase)
            ? WhatsAppWebhookMaxBytes
            : context.Request.Path.StartsWithSegments("/app/customers/import", StringComparison.OrdinalIgnoreCase)
              || context.Request.Path.StartsWithSegments("/app/settings/business", StringComparison.OrdinalIgnoreCase)
                ? UploadPageMaxBytes
                : MaxBytes;
        if (context.Request.ContentLength > max)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = Problems.Body(413, "Request body too large", $"Request bodies are limited to {max / 1024 / 1024} MB."),
            });
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = max;
        }

        await next(context);
    }
}
