using System.Security.Claims;
using System.Security.Cryptography;
using Karibu.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Hosting;

/// <summary>
/// <c>Idempotency-Key</c> on POST: the same key and body from the same caller within 24 hours gets
/// the first response again instead of doing the work twice. The key is claimed before the work
/// starts, so two copies racing each other cannot both run. Kept responses are encrypted: some carry
/// secrets shown once, such as a new API key, that must not sit in the database in clear text.
/// </summary>
internal sealed class IdempotencyMiddleware(
    RequestDelegate next, IServiceScopeFactory scopes, TimeProvider time, IDataProtectionProvider protection, ILogger<IdempotencyMiddleware> log)
{
    public const string Header = "Idempotency-Key";
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);
    private readonly IDataProtector _bodies = protection.CreateProtector("Karibu.Idempotency.ResponseBody.v1");

    public async Task InvokeAsync(HttpContext context)
    {
        var key = context.Request.Headers[Header].ToString();
        if (!HttpMethods.IsPost(context.Request.Method) || string.IsNullOrEmpty(key)
            || context.User.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim) is not { } scope)
        {
            await next(context);
            return;
        }

        if (key.Length > 255)
        {
            await Problems.Invalid("Idempotency-Key", "Must be at most 255 characters.").ExecuteAsync(context);
            return;
        }

        var requestHash = await HashRequestAsync(context.Request);
        var now = time.GetUtcNow().UtcDateTime;
        await using (var claimScope = scopes.CreateAsyncScope())
        {
            var db = claimScope.ServiceProvider.GetRequiredService<KaribuDb>();
            var existing = await db.IdempotencyRecords.FirstOrDefaultAsync(r => r.Scope == scope && r.Key == key, context.RequestAborted);
            if (existing is not null && existing.ExpiresAt <= now)
            {
                db.IdempotencyRecords.Remove(existing);
                await db.SaveChangesAsync(context.RequestAborted);
                existing = null;
            }

            if (existing is null)
            {
                db.IdempotencyRecords.Add(new IdempotencyRecord
                {
                    Scope = scope, Key = key, RequestHash = requestHash, CreatedAt = now, ExpiresAt = now + Lifetime,
                });
                try
                {
                    await db.SaveChangesAsync(context.RequestAborted);
                }
                catch (DbUpdateException)
                {
                    db.ChangeTracker.Clear();
                    existing = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Scope == scope && r.Key == key, context.RequestAborted);
                }
            }

            if (existing is not null)
            {
                await ReplayAsync(context, existing, requestHash);
                return;
            }
        }

        var originalBody = context.Response.Body;
        await using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        catch
        {
            // The exception handler further out writes the real answer (a 400 for unreadable JSON, a 409,
            // a 500), which this middleware never sees: keep nothing, so a retry runs again.
            context.Response.Body = originalBody;
            await RecordAsync(context, scope, key, body: null);
            throw;
        }

        context.Response.Body = originalBody;
        await RecordAsync(context, scope, key, buffer.ToArray());
        buffer.Position = 0;
        await buffer.CopyToAsync(originalBody, CancellationToken.None);
    }

    private async Task ReplayAsync(HttpContext context, IdempotencyRecord record, string requestHash)
    {
        if (record.RequestHash != requestHash)
        {
            await TypedResults.Problem(statusCode: 422, title: "Idempotency-Key reused",
                detail: "This Idempotency-Key was already used with a different request; use a new key for a new request.").ExecuteAsync(context);
            return;
        }

        if (record.StatusCode == 0)
        {
            await Problems.Conflict("A request with this Idempotency-Key is still being processed; retry shortly.").ExecuteAsync(context);
            return;
        }

        context.Response.StatusCode = record.StatusCode;
        if (record.ContentType is not null)
        {
            context.Response.ContentType = record.ContentType;
        }

        if (record.Location is not null)
        {
            context.Response.Headers.Location = record.Location;
        }

        context.Response.Headers["Idempotent-Replayed"] = "true";
        await context.Response.Body.WriteAsync(_bodies.Unprotect(record.Body), context.RequestAborted);
    }

    /// <summary>
    /// Keeps the response for replay; a server error, or no response (<paramref name="body"/> null: the
    /// request threw), releases the key so a retry can run again.
    /// </summary>
    private async Task RecordAsync(HttpContext context, string scope, string key, byte[]? body)
    {
        try
        {
            await using var recordScope = scopes.CreateAsyncScope();
            var db = recordScope.ServiceProvider.GetRequiredService<KaribuDb>();
            var record = await db.IdempotencyRecords.FirstOrDefaultAsync(r => r.Scope == scope && r.Key == key, CancellationToken.None);
            if (record is null)
            {
                return;
            }

            if (body is null || context.Response.StatusCode >= 500)
            {
                db.IdempotencyRecords.Remove(record);
            }
            else
            {
                record.StatusCode = context.Response.StatusCode;
                record.ContentType = context.Response.ContentType;
                record.Location = context.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null;
                record.Body = _bodies.Protect(body);
            }

            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException)
        {
            log.LogWarning(e, "Could not record the idempotent response for key {Key}", key);
        }
    }

    private static async Task<string> HashRequestAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}\n"));
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            sha.AppendData(chunk, 0, read);
        }

        request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}


/// <summary>Forgets idempotent responses once their 24 hours are over.</summary>
internal sealed class IdempotencyCleanup(IServiceScopeFactory scopes, TimeProvider time, ILogger<IdempotencyCleanup> log) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await DeleteExpiredAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Cleaning up idempotency records failed; will try again");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> DeleteExpiredAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KaribuDb>();
        var now = time.GetUtcNow().UtcDateTime;
        return await db.IdempotencyRecords.Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(ct);
    }
}
