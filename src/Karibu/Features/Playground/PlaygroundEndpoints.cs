using System.Globalization;
using Karibu.Common;
using Karibu.Data;
using Karibu.Features.Channels.Simulator;
using Karibu.Features.Conversations;
using Karibu.Features.Messaging;
using Karibu.Features.Organizations;
using Karibu.Features.Scheduling;
using Karibu.Features.Staff;
using Karibu.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace Karibu.Features.Playground;

/// <summary>
/// A phone-like page for talking to a business's assistant as a new customer, a known customer, a staff
/// member or the owner, through the simulator channel, with the business's agenda beside the chat. No
/// API key: see <see cref="PlaygroundAccess"/> for which businesses it may show.
/// </summary>
internal static class PlaygroundEndpoints
{
    private const int ThreadLength = 200;
    private const int KnownCustomers = 20;

    public static IEndpointRouteBuilder MapPlayground(this IEndpointRouteBuilder app)
    {
        var playground = app.MapGroup("/playground").AllowAnonymous().ExcludeFromDescription();
        playground.MapGet("/", () => PlaygroundAssets.Serve("playground.html"));
        playground.MapGet("/playground.css", () => PlaygroundAssets.Serve("playground.css"));
        playground.MapGet("/playground.js", () => PlaygroundAssets.Serve("playground.js"));

        var api = playground.MapGroup("/api/businesses");
        api.MapGet("/", ListBusinessesAsync);
        var business = api.MapGroup("/{org_id:guid}").AddEndpointFilter<PlaygroundAccess.Filter>();
        business.MapGet("/senders", ListSendersAsync);
        business.MapPost("/messages", SendAsync);
        business.MapGet("/thread", ThreadAsync);
        business.MapGet("/agenda", AgendaAsync);
        return app;
    }

    private static async Task<Ok<ListResponse<PlaygroundBusiness>>> ListBusinessesAsync(KaribuDb db, IHostEnvironment environment, CancellationToken ct)
    {
        // One of the few reads across tenants: which businesses the playground may show at all.
        var query = db.Organizations.IgnoreQueryFilters(KaribuDb.TenantFilterOnly).AsNoTracking();
        if (!environment.IsDevelopment())
        {
            query = query.Where(o => o.IsDemo);
        }

        var businesses = await query
            .OrderByDescending(o => o.IsDemo).ThenBy(o => o.Name).ThenBy(o => o.Id)
            .Select(o => new PlaygroundBusiness(o.Id, o.Name, o.Locale, o.TimeZone, o.IsDemo))
            .Take(100)
            .ToListAsync(ct);
        return TypedResults.Ok(new ListResponse<PlaygroundBusiness>(businesses));
    }

    private static async Task<Ok<ListResponse<PlaygroundSender>>> ListSendersAsync(KaribuDb db, CancellationToken ct)
    {
        var organization = await db.Organizations.AsNoTracking().FirstAsync(ct);
        var senders = new List<PlaygroundSender>();
        var fresh = await FreshPhoneAsync(db, organization, ct);
        senders.Add(new PlaygroundSender($"new:{fresh}", "new_customer", null, fresh));

        // The customers who wrote or were added most recently first.
        var customers = await db.Customers.AsNoTracking().OrderByDescending(c => c.Id).Take(KnownCustomers).ToListAsync(ct);
        senders.AddRange(customers.Select(c => new PlaygroundSender($"customer:{c.Id}", "customer", c.DisplayName, c.PhoneNumber)));

        var staff = await db.Staff.AsNoTracking().Where(s => s.IsActive).OrderBy(s => s.Role).ThenBy(s => s.Name).ToListAsync(ct);
        senders.AddRange(staff.Where(s => s.Role == StaffRole.Employee).Select(s => new PlaygroundSender($"staff:{s.Id}", "staff", s.Name, s.PhoneNumber)));
        senders.AddRange(staff.Where(s => s.Role == StaffRole.Owner).Select(s => new PlaygroundSender($"staff:{s.Id}", "owner", s.Name, s.PhoneNumber)));
        return TypedResults.Ok(new ListResponse<PlaygroundSender>(senders));
    }

    private static async Task<Results<Accepted<PlaygroundMessageAccepted>, ValidationProblem, ProblemHttpResult>> SendAsync(
        PlaygroundMessageRequest request, KaribuDb db, TenantContext tenant, InboxWriter inbox, TimeProvider time, CancellationToken ct)
    {
        var v = new Validation();
        var from = await ResolveSenderAsync(db, tenant, request.Sender, v, ct);
        var content = SimulatorEndpoints.ReadContent(v, request.Text, request.Reply);
        if (!v.IsValid)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        var (eventId, problem) = await SimulatorEndpoints.WriteAsync(tenant, inbox, time, from!, content!, name: null, id: null, ct);
        if (problem is not null)
        {
            return problem;
        }

        return TypedResults.Accepted((string?)null, new PlaygroundMessageAccepted(eventId, request.Sender!.Trim(), from!));
    }

    private static async Task<Results<Ok<PlaygroundThread>, ValidationProblem>> ThreadAsync(
        string? sender, KaribuDb db, TenantContext tenant, CancellationToken ct)
    {
        var v = new Validation();
        var from = await ResolveSenderAsync(db, tenant, sender, v, ct);
        if (!v.IsValid)
        {
            return TypedResults.ValidationProblem(v.Errors);
        }

        var conversations = db.Conversations.AsNoTracking().Where(c => c.Channel == MessageChannel.Simulator);
        var staffId = await db.Staff.Where(s => s.PhoneNumber == from && s.IsActive).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct);
        var customerId = staffId is null
            ? await db.Customers.Where(c => c.PhoneNumber == from).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct)
            : null;
        var conversation = staffId is { } s
            ? await conversations.FirstOrDefaultAsync(c => c.StaffId == s, ct)
            : customerId is { } c
                ? await conversations.FirstOrDefaultAsync(x => x.CustomerId == c, ct)
                : await conversations.FirstOrDefaultAsync(x => x.CustomerId == null && x.StaffId == null && x.Address == from, ct);

        var messages = new List<PlaygroundMessage>();
        if (conversation is not null)
        {
            var rows = await db.Messages.AsNoTracking()
                .Where(m => m.ConversationId == conversation.Id && m.ContentType != Outbox.ReadReceipt)
                .OrderByDescending(m => m.Id).Take(ThreadLength).ToListAsync(ct);
            rows.Reverse();
            messages.AddRange(rows.Select(m => ToMessage(m, tenant.Zone)));
        }

        return TypedResults.Ok(new PlaygroundThread(conversation?.Id, sender!.Trim(), from!, messages));
    }

    private static async Task<Results<Ok<PlaygroundAgenda>, ValidationProblem>> AgendaAsync(
        string? date, KaribuDb db, TenantContext tenant, TimeProvider time, CancellationToken ct)
    {
        var zone = tenant.Zone;
        var today = Instant.FromDateTimeOffset(time.GetUtcNow()).InZone(zone).Date;
        var day = today;
        if (date is not null)
        {
            var parsed = LocalDatePattern.Iso.Parse(date.Trim());
            if (!parsed.Success)
            {
                return Problems.Invalid("date", "Must be a date as YYYY-MM-DD.");
            }

            day = parsed.Value;
        }

        var from = day.AtStartOfDayInZone(zone).ToDateTimeUtc();
        var to = day.PlusDays(1).AtStartOfDayInZone(zone).ToDateTimeUtc();
        var appointments = await db.Appointments.AsNoTracking().Where(a => a.StartAt >= from && a.StartAt < to).OrderBy(a => a.StartAt).ToListAsync(ct);
        var services = await db.Services.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var customerIds = appointments.Select(a => a.CustomerId).Distinct().ToList();
        var customers = await db.Customers.AsNoTracking().Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var staff = await db.Staff.AsNoTracking().OrderBy(s => s.Role).ThenBy(s => s.Name).ToListAsync(ct);
        var weekday = (int)day.DayOfWeek - 1;
        var rules = await db.AvailabilityRules.AsNoTracking()
            .Where(r => !r.IsAvailable && ((r.Type == AvailabilityRuleType.Exception && r.ExceptionDate == day)
                                           || (r.Type == AvailabilityRuleType.Recurring && r.DayOfWeek == weekday)))
            .ToListAsync(ct);
        var location = await db.Locations.AsNoTracking().Where(l => l.IsPrimary).FirstOrDefaultAsync(ct);

        static string Clock(DateTime utc, DateTimeZone zone) =>
            Instant.FromDateTimeUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).InZone(zone).TimeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture);
        static string? Local(LocalTime? t) => t?.ToString("HH:mm", CultureInfo.InvariantCulture);

        var columns = staff
            .Where(s => s.IsActive || appointments.Any(a => a.StaffId == s.Id))
            .Select(s => new AgendaStaff(
                s.Id, s.Name, EnumNames.ToName(s.Role),
                appointments.Where(a => a.StaffId == s.Id).Select(a => new AgendaAppointment(
                    a.Id, Clock(a.StartAt, zone), Clock(a.EndAt, zone), services.GetValueOrDefault(a.ServiceId) ?? "",
                    customers.GetValueOrDefault(a.CustomerId) is { } customer ? customer.DisplayName ?? customer.PhoneNumber : "",
                    customers.GetValueOrDefault(a.CustomerId)?.PhoneNumber ?? "", EnumNames.ToName(a.Status), EnumNames.ToName(a.Source))).ToList(),
                rules.Where(r => r.StaffId == s.Id)
                    .OrderBy(r => r.StartTime ?? LocalTime.Midnight)
                    .Select(r => new AgendaBlock(Local(r.StartTime), Local(r.EndTime), r.Note, r.Type == AvailabilityRuleType.Recurring)).ToList()))
            .ToList();
        var open = (location?.BusinessHours.For(day.DayOfWeek) ?? []).Select(i => new AgendaOpen(i.Open, i.Close)).ToList();
        return TypedResults.Ok(new PlaygroundAgenda(
            LocalDatePattern.Iso.Format(day), LocalDatePattern.Iso.Format(today), zone.Id, open, columns));
    }

    /// <summary>The phone a sender id stands for in this business, or null with an error on <c>sender</c>.</summary>
    private static async Task<string?> ResolveSenderAsync(KaribuDb db, TenantContext tenant, string? sender, Validation v, CancellationToken ct)
    {
        const string Field = "sender";
        var text = v.Text(Field, sender, required: true, max: 100);
        if (text is null)
        {
            return null;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var (kind, value) = colon < 0 ? (text, "") : (text[..colon], text[(colon + 1)..]);
        string? phone = kind switch
        {
            "new" => PhoneNumbers.TryNormalize(value, tenant.CountryCode, out var e164, out _) ? e164 : null,
            // The tenant filter keeps another business's customers and staff out: their ids are unknown here.
            "customer" when Guid.TryParse(value, out var id) =>
                await db.Customers.Where(c => c.Id == id).Select(c => c.PhoneNumber).FirstOrDefaultAsync(ct),
            "staff" when Guid.TryParse(value, out var id) =>
                await db.Staff.Where(s => s.Id == id && s.IsActive).Select(s => s.PhoneNumber).FirstOrDefaultAsync(ct),
            _ => null,
        };
        if (phone is null)
        {
            v.Add(Field, "No such sender in this business: use an id from the senders list (new:<phone>, customer:<id> or staff:<id>).");
        }

        return phone;
    }

    /// <summary>A number in the business's country that no customer or staff member has: the "new customer".</summary>
    private static async Task<string> FreshPhoneAsync(KaribuDb db, Organization organization, CancellationToken ct)
    {
        string Candidate(int attempt)
        {
            var digits = Random.Shared.Next(10_000_000, 100_000_000).ToString(CultureInfo.InvariantCulture);
            return (attempt < 10 ? organization.CountryCode : "MX") switch
            {
                "MX" => "+5255" + digits,
                "KE" => "+2547" + digits,
                // Elsewhere: the business's own number with its last seven digits changed keeps a valid length and prefix.
                _ when organization.PhoneNumber is { Length: > 10 } own => own[..^7] + digits[1..],
                _ => "+5255" + digits,
            };
        }

        for (var attempt = 0; ; attempt++)
        {
            if (!PhoneNumbers.TryNormalize(Candidate(attempt), organization.CountryCode, out var phone, out _))
            {
                continue;
            }

            var taken = await db.Customers.AnyAsync(c => c.PhoneNumber == phone, ct) || await db.Staff.AnyAsync(s => s.PhoneNumber == phone, ct);
            if (!taken || attempt >= 15)
            {
                return phone;
            }
        }
    }

    private static PlaygroundMessage ToMessage(Message m, DateTimeZone zone)
    {
        var at = m.CreatedAt.InZone(zone);
        PlaygroundChoices? choices = null;
        if (m.Direction == MessageDirection.Outbound && m.ContentType is Outbox.List or Outbox.Buttons && OutboundContent.Read(m.Payload) is { } content)
        {
            choices = content.List is { } list
                ? new PlaygroundChoices("list", list.Button, list.Sections.SelectMany(s => s.Rows).Select(r => new PlaygroundChoice(r.Id, r.Title, r.Description)).ToList())
                : content.Buttons is { Count: > 0 } buttons
                    ? new PlaygroundChoices("button", null, buttons.Select(b => new PlaygroundChoice(b.Id, b.Title, null)).ToList())
                    : null;
        }

        return new PlaygroundMessage(
            m.Id, EnumNames.ToName(m.Direction), EnumNames.ToName(m.SenderType), m.ContentType, m.Body, EnumNames.ToName(m.Status), at,
            at.ToString("HH:mm", CultureInfo.InvariantCulture), choices);
    }
}

internal sealed record ListResponse<T>(List<T> Data);

/// <summary>The page, its script and its styles, embedded in the assembly: no CDN, nothing to download, works offline.</summary>
internal static class PlaygroundAssets
{
    private static readonly Dictionary<string, (byte[] Bytes, string ContentType)> Files = Load();

    public static IResult Serve(string name)
    {
        var (bytes, contentType) = Files[name];
        return new AssetResult(bytes, contentType);
    }

    private static Dictionary<string, (byte[], string)> Load()
    {
        var assembly = typeof(PlaygroundAssets).Assembly;
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var (name, type) in new[] { ("playground.html", "text/html; charset=utf-8"), ("playground.css", "text/css; charset=utf-8"), ("playground.js", "text/javascript; charset=utf-8") })
        {
            using var stream = assembly.GetManifestResourceStream($"Karibu.Playground.{name}")
                ?? throw new InvalidOperationException($"The playground's {name} is not embedded in the assembly.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name] = (copy.ToArray(), type);
        }

        return files;
    }

    private sealed class AssetResult(byte[] bytes, string contentType) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var headers = httpContext.Response.Headers;
            // Everything the page needs comes from here; inline scripts and other origins are refused.
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers.CacheControl = "no-cache";
            httpContext.Response.ContentType = contentType;
            httpContext.Response.ContentLength = bytes.Length;
            return httpContext.Response.Body.WriteAsync(bytes, httpContext.RequestAborted).AsTask();
        }
    }
}
