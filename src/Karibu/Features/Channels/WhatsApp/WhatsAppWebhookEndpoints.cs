using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Karibu.Features.Messaging;
using Karibu.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Karibu.Features.Channels.WhatsApp;

/// <summary>
/// Meta's webhook (API.md, specs/whatsapp-cloud-api.md §1–2): the GET handshake, and the POST that
/// checks the signature over the raw bytes, stores every event durably and answers 200. Processing
/// happens later in <see cref="InboxProcessor"/>; nothing slow runs before the answer.
/// </summary>
internal static class WhatsAppWebhookEndpoints
{
    public static RouteGroupBuilder MapWhatsAppWebhook(this RouteGroupBuilder webhooks)
    {
        webhooks.MapGet("/whatsapp", Verify).WithTags("Webhooks").WithSummary("Meta's verification handshake.");
        webhooks.MapPost("/whatsapp", ReceiveAsync).WithTags("Webhooks")
            .WithSummary("WhatsApp notifications, signed with X-Hub-Signature-256.")
            .DisableAntiforgery();
        return webhooks;
    }

    private static Results<ContentHttpResult, ProblemHttpResult> Verify(
        IOptions<WhatsAppOptions> options,
        [FromQuery(Name = "hub.mode")] string? mode,
        [FromQuery(Name = "hub.verify_token")] string? verifyToken,
        [FromQuery(Name = "hub.challenge")] string? challenge)
    {
        var expected = options.Value.VerifyToken;
        if (mode != "subscribe" || string.IsNullOrEmpty(expected) || verifyToken is null || challenge is null
            || !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(verifyToken), Encoding.UTF8.GetBytes(expected)))
        {
            return TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: "The verify token does not match Karibu:WhatsApp:VerifyToken.");
        }

        return TypedResults.Text(challenge, "text/plain");
    }

    private static async Task<Results<Ok, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request, IOptions<WhatsAppOptions> options, InboxWriter inbox, ILoggerFactory logs, CancellationToken ct)
    {
        if (options.Value.AppSecret is not { Length: > 0 } secret)
        {
            return TypedResults.Problem(statusCode: 401, title: "Unauthorized",
                detail: "WhatsApp webhooks are not accepted: Karibu:WhatsApp:AppSecret is not configured.");
        }

        ReadOnlySequence<byte> body;
        ReadResult read;
        try
        {
            read = await ReadAllAsync(request.BodyReader, ct);
            body = read.Buffer;
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TypedResults.Problem(statusCode: 413, title: "Request body too large",
                detail: $"WhatsApp webhook bodies are limited to {BodySizeLimit.WhatsAppWebhookMaxBytes / 1024 / 1024} MB.");
        }

        try
        {
            var bytes = body.IsSingleSegment ? body.First.Span : body.ToArray();
            if (!WhatsAppWebhookPayload.IsValidSignature(bytes, request.Headers["X-Hub-Signature-256"], Encoding.UTF8.GetBytes(secret)))
            {
                return TypedResults.Problem(statusCode: 401, title: "Unauthorized",
                    detail: "X-Hub-Signature-256 is missing or does not match the body.");
            }

            List<ReceivedEvent> events;
            try
            {
                events = WhatsAppWebhookPayload.Split(bytes);
            }
            catch (JsonException)
            {
                return TypedResults.Problem(statusCode: 400, title: "Bad request", detail: "The body is not a JSON object.");
            }

            if (events.Count == 0)
            {
                logs.CreateLogger(typeof(WhatsAppWebhookEndpoints)).LogInformation("WhatsApp webhook with no events acknowledged");
            }

            return await inbox.TryWriteAsync(WhatsAppWebhookPayload.Source, events, ct) ?? (Results<Ok, ProblemHttpResult>)TypedResults.Ok();
        }
        finally
        {
            request.BodyReader.AdvanceTo(body.End);
        }
    }

    private static async Task<ReadResult> ReadAllAsync(PipeReader reader, CancellationToken ct)
    {
        while (true)
        {
            var result = await reader.ReadAsync(ct);
            if (result.IsCompleted || result.IsCanceled)
            {
                return result;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
