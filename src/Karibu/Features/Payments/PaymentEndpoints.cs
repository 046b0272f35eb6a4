using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Karibu.Common;
using Karibu.Data;
using Karibu.Features.Organizations;
using Karibu.Features.Retention;
using Karibu.Features.Scheduling;
using Karibu.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Karibu.Features.Payments;

internal sealed record ConnectMpesaRequest(string? ShortCode);

/// <summary>The URLs carry the secret; it is shown here once and only its hash is kept.</summary>
internal sealed record MpesaConnectionResponse(
    Guid Id, string ShortCode, string ValidationUrl, string ConfirmationUrl, string SmsForwardingUrl, string SmsForwardingToken);

internal sealed record MpesaSmsRequest(string? Text, string? ReceivedAt);

internal sealed record AssignPaymentRequest(Guid? CustomerId);

/// <summary>A text that records no payment; <c>needs_review</c> when it was kept on the review list.</summary>
internal sealed record IgnoredResponse(bool Ignored, string Reason, bool NeedsReview = false);

internal sealed record PaymentResponse(
    Guid Id, PaymentSource Source, string Receipt, long AmountCents, string Currency, string? PayerName, string? PayerPhone,
    string? PayerPhoneHint, string? AccountReference, DateTimeOffset PaidAt, Guid? CustomerId, Guid? VisitId,
    PaymentMatchMethod? MatchMethod, Guid? SuggestedCustomerId, SuggestionReason? SuggestionReason, DateTimeOffset CreatedAt)
{
    public static PaymentResponse From(Payment p, DateTimeZone zone) => new(
        p.Id, p.Source, p.Receipt, p.AmountCents, p.Currency, p.PayerName, p.PayerPhone, p.PayerPhoneHint, p.AccountReference,
        p.PaidAt.InZone(zone), p.CustomerId, p.VisitId, p.MatchMethod, p.SuggestedCustomerId, p.SuggestionReason, p.CreatedAt.InZone(zone));
}

/// <summary>Daraja's validation answer: <c>ResultCode</c> is a string here ("0", "C2B00012").</summary>
internal sealed record DarajaValidationAnswer(
    [property: JsonPropertyName("ResultCode")] string ResultCode,
    [property: JsonPropertyName("ResultDesc")] string ResultDesc);

/// <summary>Daraja's confirmation acknowledgement: <c>{"ResultCode":0,"ResultDesc":"Success"}</c>.</summary>
internal sealed record DarajaConfirmationAck(
    [property: JsonPropertyName("ResultCode")] int ResultCode,
    [property: JsonPropertyName("ResultDesc")] string ResultDesc);

/// <summary>
/// M-Pesa: connecting a short code, Daraja's C2B validation and confirmation callbacks (authenticated by a
/// secret in the URL, spec §A.8), confirmation SMS forwarded from the owner's phone, and the owner's list of
/// payments to assign. Payments are unique per business by receipt, so replays add nothing.
/// </summary>
internal static class PaymentEndpoints
{
    private const int MaxBodyBytes = 64 * 1024;
    private const string WebhookActor = "mpesa";

    private static readonly DarajaConfirmationAck Ack = new(0, "Success");

    public static RouteGroupBuilder MapPaymentEndpoints(this RouteGroupBuilder organization)
    {
        organization.MapPost("/connect-mpesa", ConnectAsync).WithTags("Organizations")
            .WithSummary("Connect an M-Pesa short code (paybill or till); answers the C2B validation and confirmation URLs to register with Daraja and the URL for an SMS-forwarding app.");
        var payments = organization.MapGroup("/payments").WithTags("Payments");
        payments.MapGet("/", ListAsync).WithSummary("Payments, oldest first; `?matched=false` lists those not yet tied to a customer.");
        payments.MapGet("/{id:guid}", GetAsync).WithSummary("One payment.");
        payments.MapPost("/mpesa-sms", SmsAsync)
            .WithSummary("An M-Pesa confirmation SMS: 201 with the payment, 200 with the existing one for a receipt already recorded, 200 `{ \"ignored\": true }` for other texts and outgoing payments, with `needs_review` when the text looks like a confirmation but does not read cleanly (kept on the review list).");
        payments.MapPost("/{id:guid}/assign", AssignAsync)
            .WithSummary("Tie an unmatched payment to a customer; records (or merges into) that day's visit. 409 when it already has a customer.");
        payments.MapPaymentReviewEndpoints();
        return organization;
    }

    public static RouteGroupBuilder MapMpesaWebhooks(this RouteGroupBuilder webhooks)
    {
        webhooks.MapPost("/mpesa/{token}/validation", ValidationAsync).WithTags("Webhooks")
            .WithSummary("Daraja C2B validation: accepts unless the short code is not this business's or the amount is unreadable.").DisableAntiforgery();
        webhooks.MapPost("/mpesa/{token}/confirmation", ConfirmationAsync).WithTags("Webhooks")
            .WithSummary("Daraja C2B confirmation; idempotent by TransID. Always acknowledged: the payment is final on M-Pesa's side.").DisableAntiforgery();
        webhooks.MapPost("/mpesa/{token}/sms", ForwardedSmsAsync).WithTags("Webhooks")
            .WithSummary("An M-Pesa confirmation SMS from the owner's forwarding app; same answers as …/payments/mpesa-sms.").DisableAntiforgery();
        return webhooks;
    }

    private static async Task<Results<Ok<MpesaConnectionResponse>, ValidationProblem>> ConnectAsync(
        ConnectMpesaRequest request, KaribuDb db, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        var v = new Validation();
        var connected = await ConnectMpesaAsync(request.ShortCode, v, db, tenant, http.User.Actor(), $"{http.Request.Scheme}://{http.Request.Host}", ct);
        return connected is null ? TypedResults.ValidationProblem(v.Errors) : TypedResults.Ok(connected);
    }

    /// <summary>
    /// Connects (or reconnects, rotating the secret so the old URLs stop working) an M-Pesa short code and answers the
    /// URLs under <paramref name="origin"/>, shown this once; null (reasons in <paramref name="v"/>) when refused.
    /// The API's <c>connect-mpesa</c> and the owner app's channels screen both come here.
    /// </summary>
    public static async Task<MpesaConnectionResponse?> ConnectMpesaAsync(
        string? shortCodeText, Validation v, KaribuDb db, TenantContext tenant, string actor, string origin, CancellationToken ct)
    {
        var shortCode = v.Text("short_code", shortCodeText, required: true, max: 16);
        if (shortCode is not null && (shortCode.Length is < 5 or > 8 || !shortCode.All(char.IsAsciiDigit)))
        {
            v.Add("short_code", $"'{shortCode}' is not an M-Pesa paybill or till number (5 to 8 digits, like 600984).");
        }

        if (!v.IsValid)
        {
            return null;
        }

        if (await db.ChannelAccounts.IgnoreQueryFilters(KaribuDb.TenantFilterOnly)
                .AnyAsync(a => a.Kind == ChannelKind.Mpesa && a.ExternalId == shortCode && a.OrganizationId != tenant.OrganizationId, ct))
        {
            v.Add("short_code", "This short code is already connected to another business.");
            return null;
        }

        var account = await db.ChannelAccounts.FirstOrDefaultAsync(a => a.Kind == ChannelKind.Mpesa && a.ExternalId == shortCode, ct);
        if (account is null)
        {
            account = new ChannelAccount { Kind = ChannelKind.Mpesa, ExternalId = shortCode! };
            db.ChannelAccounts.Add(account);
        }

        // Connecting again rotates the secret: the old URLs stop working.
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        account.WebhookTokenHash = Hash(token);
        account.IsActive = true;
        db.Audit(actor, "mpesa.connected", "channel_account", account.Id, $$"""{"short_code":"{{shortCode}}"}""");
        await db.SaveChangesAsync(ct);

        var root = $"{origin}/api/v1/webhooks/mpesa/{token}";
        return new MpesaConnectionResponse(account.Id, shortCode!, $"{root}/validation", $"{root}/confirmation", $"{root}/sms", token);
    }

    private static async Task<Results<Ok<Page<PaymentResponse>>, ValidationProblem>> ListAsync(
        KaribuDb db, TenantContext tenant, CancellationToken ct, bool? matched = null, int? limit = null,
        [FromQuery(Name = "starting_after")] Guid? startingAfter = null)
    {
        var query = db.Payments.AsNoTracking();
        if (matched is { } m)
        {
            query = m ? query.Where(p => p.CustomerId != null) : query.Where(p => p.CustomerId == null);
        }

        return await query.ListAsync(limit, startingAfter, p => PaymentResponse.From(p, tenant.Zone), ct);
    }

    private static async Task<Results<Ok<PaymentResponse>, ProblemHttpResult>> GetAsync(Guid id, KaribuDb db, TenantContext tenant, CancellationToken ct) =>
        await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct) is { } payment
            ? TypedResults.Ok(PaymentResponse.From(payment, tenant.Zone))
            : Problems.NotFound("payment");

    private static async Task<Results<Ok<PaymentResponse>, ValidationProblem, ProblemHttpResult>> AssignAsync(
        Guid id, AssignPaymentRequest request, KaribuDb db, TenantContext tenant, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (!await db.Payments.AnyAsync(p => p.Id == id, ct))
        {
            return Problems.NotFound("payment");
        }

        if (request.CustomerId is not { } customerId)
        {
            return Problems.Invalid("customer_id", "Is required.");
        }

        if (!await db.Customers.AnyAsync(c => c.Id == customerId, ct))
        {
            return Problems.NotFound("customer", "customer_id");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Claim the payment first: of two owners assigning at once, one wins and the other gets 409.
        var claimed = await db.Payments.Where(p => p.Id == id && p.CustomerId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.CustomerId, customerId).SetProperty(p => p.MatchMethod, PaymentMatchMethod.Manual), ct);
        if (claimed == 0)
        {
            await transaction.RollbackAsync(ct);
            return Problems.Conflict("This payment is already assigned to a customer.");
        }

        var payment = await db.Payments.FirstAsync(p => p.Id == id, ct);
        await RecordVisitAsync(db, time, payment, ct);
        db.Audit(http.User.Actor(), "payment.assigned", "payment", payment.Id, $$"""{"customer_id":"{{customerId}}"}""");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(PaymentResponse.From(payment, tenant.Zone));
    }

    private static Task<IResult> SmsAsync(
        MpesaSmsRequest request, KaribuDb db, TenantContext tenant, TimeProvider time, HttpContext http, CancellationToken ct) =>
        RecordSmsAsync(request, db, tenant, time, http.User.Actor(), null, ct);

    private static async Task<IResult> ForwardedSmsAsync(
        string token, HttpRequest http, KaribuDb db, TenantContext tenant, TimeProvider time, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        // The secret is checked before the body is even read: an unknown URL is 404 whatever it is sent.
        if (await EnterTenantAsync(db, tenant, token, ct) is not { } account)
        {
            return NotFound();
        }

        MpesaSmsRequest? request;
        try
        {
            request = await http.ReadFromJsonAsync<MpesaSmsRequest>(json.Value.SerializerOptions, ct);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return Problems.Invalid("body", "Must be a JSON object like { \"text\": \"<the M-Pesa SMS>\" }.");
        }

        return request is null ? Problems.Invalid("text", "Is required.") : await RecordSmsAsync(request, db, tenant, time, WebhookActor, account.Id, ct);
    }

    private static async Task<IResult> RecordSmsAsync(
        MpesaSmsRequest request, KaribuDb db, TenantContext tenant, TimeProvider time, string actor, Guid? channelAccountId, CancellationToken ct)
    {
        var v = new Validation();
        var text = v.Text("text", request.Text, required: true, max: PaymentConfiguration.MaxRawPayload);
        if (!v.IsValid)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        var reading = MpesaSms.Read(text);
        if (reading.Verdict == MpesaSmsVerdict.NeedsReview)
        {
            // Never guessed at (spec §B.2): kept for the owner to look at, and no payment recorded.
            await PaymentReview.RecordAsync(db, actor, PaymentReview.UnreadableSms, channelAccountId,
                new Dictionary<string, string[]> { ["text"] = [reading.Problem!] }, text!, ct);
            await db.SaveChangesAsync(ct);
            return TypedResults.Ok(new IgnoredResponse(true, reading.Problem + " Kept on the payments review list; no payment was recorded.", NeedsReview: true));
        }

        if (reading.Receipt is not { } receipt)
        {
            return TypedResults.Ok(new IgnoredResponse(true, "Not an M-Pesa confirmation of money received."));
        }

        if (!receipt.IsIncoming)
        {
            return TypedResults.Ok(new IgnoredResponse(true, "An outgoing M-Pesa payment, not money received."));
        }

        var payment = new Payment
        {
            Source = PaymentSource.Sms,
            Receipt = receipt.TransactionCode,
            AmountCents = receipt.AmountCents,
            Currency = receipt.Currency,
            PayerName = Truncate(receipt.CounterpartyName, Limits.Name),
            PayerPhone = receipt.SenderPhoneE164,
            PayerPhoneHint = receipt.SenderPhoneMasked ? Truncate(receipt.SenderPhoneRaw, 64) : null,
            AccountReference = Truncate(receipt.AccountNumber, Limits.Name),
            PaidAt = receipt.OccurredAt.ToDateTimeUtc(),
            RawPayload = text!,
        };
        var phone = receipt.SenderPhoneE164 ?? (receipt.SenderPhoneMasked ? receipt.SenderPhoneRaw : null);
        var (saved, created) = await SaveAsync(db, time, tenant.Zone, payment,
            candidates => MpesaPayer.Match(phone, receipt.CounterpartyName, null, null, receipt.AccountNumber, candidates), ct);
        var body = PaymentResponse.From(saved, tenant.Zone);
        return created
            ? TypedResults.Created($"/api/v1/organizations/{tenant.OrganizationId}/payments/{saved.Id}", body)
            : TypedResults.Ok(body);
    }

    private static async Task<Results<Ok<DarajaValidationAnswer>, ProblemHttpResult>> ValidationAsync(
        string token, HttpRequest request, KaribuDb db, TenantContext tenant, ILoggerFactory logs, CancellationToken ct)
    {
        if (await FindAccountAsync(db, token, ct) is not { } account)
        {
            return NotFound();
        }

        var raw = await ReadBodyAsync(request, ct);
        var v = new Validation();
        var c2b = MpesaC2b.Parse(raw, v);
        var log = logs.CreateLogger("Karibu.Payments.Mpesa");
        if (c2b is null)
        {
            log.LogWarning("C2B validation for organization {OrganizationId} could not be read: {Errors}", account.OrganizationId, string.Join("; ", v.Errors.Keys));
            // An unreadable amount is the payer's to fix; anything else is ours and must not stop a payment.
            return TypedResults.Ok(v.Has("TransAmount") ? new DarajaValidationAnswer("C2B00013", "Rejected")
                : v.Has("BusinessShortCode") ? new DarajaValidationAnswer("C2B00015", "Rejected")
                : new DarajaValidationAnswer("0", "Accepted"));
        }

        if (c2b.BusinessShortCode != account.ExternalId)
        {
            log.LogWarning("C2B validation for short code {ShortCode} arrived on the URL of {Connected}; rejected.", c2b.BusinessShortCode, account.ExternalId);
            return TypedResults.Ok(new DarajaValidationAnswer("C2B00015", "Rejected"));
        }

        return TypedResults.Ok(new DarajaValidationAnswer("0", "Accepted"));
    }

    private static async Task<Results<Ok<DarajaConfirmationAck>, ProblemHttpResult>> ConfirmationAsync(
        string token, HttpRequest request, KaribuDb db, TenantContext tenant, TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        if (await EnterTenantAsync(db, tenant, token, ct) is not { } account)
        {
            return NotFound();
        }

        var raw = await ReadBodyAsync(request, ct);
        var v = new Validation();
        var c2b = MpesaC2b.Parse(raw, v);
        var log = logs.CreateLogger("Karibu.Payments.Mpesa");

        // The payment is final on M-Pesa's side: a confirmation is never rejected (Daraja would retry it), but
        // one that cannot be used is kept for review with its body, and logged.
        if (c2b is null || c2b.BusinessShortCode != account.ExternalId)
        {
            var errors = c2b is null
                ? v.Errors
                : new Dictionary<string, string[]> { ["BusinessShortCode"] = [$"'{c2b.BusinessShortCode}' is not this business's short code ({account.ExternalId})."] };
            log.LogWarning("C2B confirmation for organization {OrganizationId} not recorded: {Errors}. Body: {Body}",
                account.OrganizationId, string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(' ', e.Value)}")), Truncate(raw, 4000));
            await PaymentReview.RecordAsync(db, WebhookActor, PaymentReview.UnusableConfirmation, account.Id, errors, raw, ct);
            await db.SaveChangesAsync(ct);
            return TypedResults.Ok(Ack);
        }

        var info = MpesaPayer.Classify(c2b.Msisdn);
        var payment = new Payment
        {
            Source = PaymentSource.C2b,
            Receipt = c2b.TransId,
            AmountCents = c2b.AmountCents,
            Currency = "KES",
            PayerName = Truncate(c2b.PayerName, Limits.Name),
            PayerPhone = info.Kind == MsisdnKind.Plain ? "+" + info.Msisdn : null,
            PayerPhoneHint = info.Kind == MsisdnKind.Masked ? Truncate(c2b.Msisdn, 64) : null,
            PayerPhoneHash = info.Hash,
            AccountReference = Truncate(c2b.BillRefNumber, Limits.Name),
            PaidAt = c2b.TransTime.ToDateTimeUtc(),
            RawPayload = Truncate(raw, PaymentConfiguration.MaxRawPayload)!,
        };
        var (saved, created) = await SaveAsync(db, time, tenant.Zone, payment, candidates => MpesaPayer.Match(c2b, candidates), ct);
        log.LogInformation("C2B confirmation {Receipt} for organization {OrganizationId}: {Outcome}.", c2b.TransId, account.OrganizationId,
            created ? saved.CustomerId is null ? "recorded, unmatched" : $"recorded, matched by {saved.MatchMethod}" : "a replay, nothing added");
        return TypedResults.Ok(Ack);
    }

    /// <summary>
    /// Stores a new payment, matching its payer (a sure match records the visit; a masked match, or the one
    /// appointment the amount and time fit, is only suggested), or returns the one already stored under its receipt.
    /// </summary>
    private static async Task<(Payment Payment, bool Created)> SaveAsync(
        KaribuDb db, TimeProvider time, DateTimeZone zone, Payment payment, Func<List<PayerCandidate>, PayerMatch> match, CancellationToken ct)
    {
        if (await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.Receipt == payment.Receipt, ct) is { } existing)
        {
            return (existing, false);
        }

        // Small businesses have hundreds to a few thousand customers; a hashed MSISDN needs every number's hash.
        var candidates = await db.Customers.AsNoTracking()
            .Select(c => new PayerCandidate(c.Id, c.PhoneNumber, c.DisplayName)).ToListAsync(ct);
        var found = match(candidates);
        if (found.IsMatch && !found.NeedsConfirmation)
        {
            payment.CustomerId = found.Customer!.CustomerId;
            payment.MatchMethod = found.Method switch
            {
                PayerMatchMethod.Hashed => PaymentMatchMethod.Hashed,
                PayerMatchMethod.BillRef => PaymentMatchMethod.BillRef,
                _ => PaymentMatchMethod.Plain,
            };
        }
        else
        {
            var paidAt = Instant.FromDateTimeUtc(payment.PaidAt);
            var (from, to) = PaymentSuggestions.Window(paidAt);
            var (fromUtc, toUtc) = (from.ToDateTimeUtc(), to.ToDateTimeUtc());
            var appointments = await db.Appointments.AsNoTracking()
                .Where(a => a.StartAt <= toUtc && a.EndAt >= fromUtc && a.PriceCents == payment.AmountCents
                    && (a.Status == AppointmentStatus.Pending || a.Status == AppointmentStatus.Confirmed || a.Status == AppointmentStatus.Completed))
                .Select(a => new { a.CustomerId, a.StartAt, a.EndAt, a.PriceCents, a.Currency, a.Status })
                .ToListAsync(ct);
            var evidence = new PaymentEvidence(payment.AmountCents, payment.Currency, paidAt,
                payment.PayerPhone ?? payment.PayerPhoneHint ?? payment.PayerPhoneHash, payment.PayerName);
            var suggestion = PaymentSuggestions.Suggest(evidence, found,
                appointments.Select(a => new AppointmentCandidate(
                    a.CustomerId, Instant.FromDateTimeUtc(a.StartAt), Instant.FromDateTimeUtc(a.EndAt), a.PriceCents, a.Currency, a.Status)),
                candidates, zone);
            payment.SuggestedCustomerId = suggestion?.Customer.CustomerId;
            payment.SuggestionReason = suggestion?.Reason;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Payments.Add(payment);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same receipt arrived twice at once: the other request stored it.
            await transaction.RollbackAsync(ct);
            db.Entry(payment).State = EntityState.Detached;
            var stored = await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.Receipt == payment.Receipt, ct);
            return stored is null ? throw new InvalidOperationException($"Payment {payment.Receipt} could not be stored.") : (stored, false);
        }

        if (payment.CustomerId is not null)
        {
            await RecordVisitAsync(db, time, payment, ct);
            await db.SaveChangesAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return (payment, true);
    }

    /// <summary>A matched payment is a visit, merged with that day's appointment or check-in.</summary>
    private static async Task RecordVisitAsync(KaribuDb db, TimeProvider time, Payment payment, CancellationToken ct)
    {
        var recorded = await Visits.RecordAsync(db, time,
            new VisitInput(payment.CustomerId!.Value, payment.PaidAt, VisitSource.Payment, PaymentId: payment.Id, AmountCents: payment.AmountCents), ct);
        payment.VisitId = recorded?.Visit.Id;
    }

    /// <summary>Sets the tenant of this request from the webhook secret: the M-Pesa connection, or null when no business has it.</summary>
    private static async Task<ChannelAccount?> EnterTenantAsync(KaribuDb db, TenantContext tenant, string token, CancellationToken ct)
    {
        if (await FindAccountAsync(db, token, ct) is not { } account)
        {
            return null;
        }

        var organization = await db.Organizations.IgnoreQueryFilters(KaribuDb.TenantFilterOnly).AsNoTracking()
            .Where(o => o.Id == account.OrganizationId)
            .Select(o => new { o.Id, o.TimeZone, o.CountryCode, o.Currency })
            .FirstAsync(ct);
        tenant.Set(organization.Id, DateTimeZoneProviders.Tzdb.GetZoneOrNull(organization.TimeZone), organization.CountryCode, organization.Currency);
        return account;
    }

    /// <summary>The M-Pesa connection whose webhook secret this is: a read across tenants by the secret's hash.</summary>
    private static async Task<ChannelAccount?> FindAccountAsync(KaribuDb db, string token, CancellationToken ct)
    {
        if (token.Length is < 16 or > 128)
        {
            return null;
        }

        var hash = Hash(token);
        return await db.ChannelAccounts.IgnoreQueryFilters(KaribuDb.TenantFilterOnly).AsNoTracking()
            .FirstOrDefaultAsync(a => a.WebhookTokenHash == hash && a.Kind == ChannelKind.Mpesa && a.IsActive, ct);
    }

    private static async Task<string> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0 && buffer.Length < MaxBodyBytes)
        {
            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)Math.Min(buffer.Length, MaxBodyBytes));
    }

    private static string? Truncate(string? text, int max) => text is null || text.Length <= max ? text : text[..max];

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: 404, title: "Not found", detail: "No M-Pesa connection has this webhook URL.");

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
