using Karibu.Common;
using Karibu.Data;
using Karibu.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;

namespace Karibu.Features.Organizations;

/// <summary>The business photo: set and removed through the API, served to anyone at <c>/b/{slug}/photo</c>.</summary>
internal static class BusinessPhotoEndpoints
{
    /// <summary>A versioned address (<c>?v=</c> the current version) never changes its bytes; any other is checked again soon.</summary>
    private const string Immutable = "public, max-age=31536000, immutable";
    private const string Short = "public, max-age=300";

    private static readonly string[] ImageTypes = ["image/jpeg", "image/png", "image/webp"];

    /// <summary><c>PUT</c> and <c>DELETE /api/v1/organizations/{org_id}/photo</c>.</summary>
    public static RouteGroupBuilder MapBusinessPhotoEndpoints(this RouteGroupBuilder organization)
    {
        organization.MapPut("/photo", Put)
            // Described here rather than with Accepts(...): routing would answer 415 to other types before the API key
            // and the tenant are checked (an unknown organization must answer 404 whatever the body).
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = ImageTypes.ToDictionary(t => t, _ => new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } }),
                };
                return Task.CompletedTask;
            })
            .WithSummary($"Set the business photo or logo: the image itself as the body (JPEG, PNG or WebP, at most {BusinessPhotos.MaxKilobytes} KB).");
        organization.MapDelete("/photo", Delete).WithSummary("Remove the business photo.");
        return organization;
    }

    /// <summary><c>GET /b/{slug}/photo</c>: the booking page's photo, public and cached.</summary>
    public static IEndpointRouteBuilder MapBusinessPhotoFile(this IEndpointRouteBuilder app)
    {
        app.MapGet("/b/{slug}/photo", Serve).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<Ok<PhotoResponse>, ProblemHttpResult, ValidationProblem>> Put(
        HttpRequest request, KaribuDb db, TenantContext tenant, TimeProvider time, CancellationToken ct)
    {
        // The declared type is not trusted (the bytes say what the file is), but a form is a mistake worth naming.
        if (request.HasFormContentType)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send the image itself as the request body (Content-Type image/jpeg, image/png or image/webp), not a form.");
        }

        var bytes = request.ContentLength > BusinessPhotos.MaxBytes ? null : await BusinessPhotos.ReadAsync(request.Body, ct);
        var (check, type) = bytes is null ? (PhotoCheck.TooLarge, null) : BusinessPhotos.Check(bytes);
        switch (check)
        {
            case PhotoCheck.Missing:
                return Problems.Invalid("body", "Send the image as the request body.");
            case PhotoCheck.TooLarge:
                return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Photo too large",
                    detail: $"A photo may be at most {BusinessPhotos.MaxKilobytes} KB; shrink it to {BusinessPhotos.MaxPixels} px on its longest side.");
            case PhotoCheck.NotAnImage:
                return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                    detail: "Only JPEG, PNG or WebP images are accepted (the type is read from the file's bytes).");
        }

        var photo = await BusinessPhotos.SaveAsync(db, time, type!, bytes!, request.HttpContext.User.Actor(), ct);
        var slug = await db.Organizations.Select(o => o.Slug).SingleAsync(ct);
        var url = $"{request.Scheme}://{request.Host}{request.PathBase}{BusinessPhotos.Path(slug, photo.UpdatedAt.Ticks)}";
        return TypedResults.Ok(new PhotoResponse(photo.ContentType, photo.Bytes.Length, url, photo.UpdatedAt.InZone(tenant.Zone)));
    }

    private static async Task<NoContent> Delete(KaribuDb db, HttpContext http, CancellationToken ct)
    {
        await BusinessPhotos.RemoveAsync(db, http.User.Actor(), ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> Serve(string slug, string? v, KaribuDb db, HttpContext http, CancellationToken ct)
    {
        var key = slug.ToLowerInvariant();
        var found = await db.Organizations.IgnoreQueryFilters(KaribuDb.TenantFilterOnly)
            .Where(o => o.Slug == key && o.Status != OrganizationStatus.Suspended && o.Status != OrganizationStatus.Churned)
            .Join(db.BusinessPhotos.IgnoreQueryFilters(KaribuDb.TenantFilterOnly), o => o.Id, p => p.OrganizationId,
                (o, p) => new { p.OrganizationId, p.ContentType, p.UpdatedAt })
            .FirstOrDefaultAsync(ct);
        if (found is null)
        {
            return Problems.NotFound("photo");
        }

        var version = found.UpdatedAt.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var etag = new EntityTagHeaderValue($"\"{version}\"");
        var headers = http.Response.GetTypedHeaders();
        headers.ETag = etag;
        headers.LastModified = new DateTimeOffset(found.UpdatedAt, TimeSpan.Zero);
        http.Response.Headers.CacheControl = v == version ? Immutable : Short;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        if (http.Request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } match && match.Any(m => m.Equals(EntityTagHeaderValue.Any) || m.Compare(etag, useStrongComparison: false)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var bytes = await db.BusinessPhotos.IgnoreQueryFilters(KaribuDb.TenantFilterOnly)
            .Where(p => p.OrganizationId == found.OrganizationId).Select(p => p.Bytes).FirstOrDefaultAsync(ct);
        return bytes is null ? Problems.NotFound("photo") : TypedResults.Bytes(bytes, found.ContentType);
    }
}

/// <summary>The stored photo: its type as read from its bytes, its size, where the booking page serves it, and when it was set.</summary>
internal sealed record PhotoResponse(string ContentType, int SizeBytes, string Url, DateTimeOffset UpdatedAt);
