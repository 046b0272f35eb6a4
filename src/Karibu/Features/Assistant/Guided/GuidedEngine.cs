using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Karibu.Data;
using Karibu.Features.Assistant.Understanding;
using Karibu.Features.Conversations;
using Karibu.Features.Messaging;
using Karibu.Features.Organizations;
using Karibu.Features.Scheduling;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Karibu.Features.Assistant.Guided;

/// <summary>Where a customer's chat is: what the assistant asked last and what it has gathered.</summary>
internal sealed class GuidedState
{
    public string? Step { get; set; }
    public Guid? ServiceId { get; set; }
    public string? Date { get; set; }
    public PartOfDay? PartOfDay { get; set; }
    public List<Offer> Offers { get; set; } = [];
    public Offer? Chosen { get; set; }
    public List<Guid> Appointments { get; set; } = [];
    public Guid? AppointmentId { get; set; }
    public Language? Language { get; set; }

    /// <summary>True while the chosen time moves <see cref="AppointmentId"/> instead of booking a new appointment.</summary>
    public bool Moving { get; set; }
}

/// <summary>A time the slot finder returned (unix seconds) and who would take it (their name kept for the confirmation).</summary>
internal sealed record Offer(long Start, Guid StaffId, string? StaffName = null);

/// <summary>
/// The default assistant for customers: deterministic, no LLM. It reads each message with
/// <see cref="Understand"/>, asks one question at a time, offers only times the slot finder returned,
/// confirms before booking and books through <see cref="BookingService"/> (which re-checks). It runs
/// inside the inbox processor's transaction, so its state, the booking and the reply commit together.
/// </summary>
internal sealed class GuidedEngine(
    KaribuDb db, BookingService booking, TenantContext tenant, TenantData tenantData, TimeProvider time, GuidedStaffEngine staffEngine)
{
    private const int MaxOffers = 5;
    private const string Confirming = "confirm";
    private const string Picking = "pick";
    private const string AskingService = "service";
    private const string AskingDay = "day";
    private const string PickingCancel = "cancel_pick";
    private const string ConfirmingCancel = "cancel_confirm";
    private const string Reminded = "reminded";
    private const string OfferingToBook = "offer_book";

    /// <summary>The state a reminder leaves in the customer's chat: a "sí" confirms, a "no"/"cancelar" cancels that appointment.</summary>
    public static string AwaitingReminderAnswer(Guid appointmentId) =>
        JsonSerializer.Serialize(new GuidedState { Step = Reminded, AppointmentId = appointmentId }, JsonColumn.Options);

    public Task RespondAsync(Conversation conversation, Message inbound, Organization organization, CancellationToken ct) =>
        ReadAndAnswerAsync(conversation, inbound, organization, onlyReminderAnswers: false, ct);

    /// <summary>
    /// Answers the message only when it answers a reminder (or a page booking's "reply SÍ") in this chat, for a
    /// business whose assistant is off; false (nothing done) for anything else.
    /// </summary>
    public Task<bool> AnswerReminderAsync(Conversation conversation, Message inbound, Organization organization, CancellationToken ct) =>
        ReadAndAnswerAsync(conversation, inbound, organization, onlyReminderAnswers: true, ct);

    private async Task<bool> ReadAndAnswerAsync(Conversation conversation, Message inbound, Organization organization, bool onlyReminderAnswers, CancellationToken ct)
    {
        if (conversation.StaffId is { } staffId)
        {
            if (!onlyReminderAnswers)
            {
                await staffEngine.RespondAsync(conversation, inbound, organization, staffId, ct);
            }

            return !onlyReminderAnswers;
        }

        if (conversation.CustomerId is not { } customerId)
        {
            return false;
        }

        var state = Read(conversation.AssistantState);
        var zone = tenant.Zone;
        var today = Instant.FromDateTimeOffset(time.GetUtcNow()).InZone(zone).Date;
        var services = (await tenantData.ServicesAsync(ct)).Where(s => s.IsActive).OrderBy(s => s.Name, StringComparer.InvariantCultureIgnoreCase).ToList();
        var business = GuidedTexts.FromLocale(organization.Locale);
        var tap = ReplyId(inbound);
        var text = tap ?? inbound.Body ?? "";
        if (text.StartsWith("service:", StringComparison.Ordinal) && Guid.TryParse(text[8..], out var tapped)
            && services.FirstOrDefault(s => s.Id == tapped) is { } tappedService)
        {
            text = tappedService.Name;
        }

        var u = Understand.Read(text, today, services.Select(s => new ServiceOption(s.Id, s.Name)).ToList(), business);
        // A tap carries our own id ("yes", "slot:2"), not the customer's words: it says nothing about their language.
        var lang = (tap is null ? u.Language : null) ?? state.Language ?? business;
        state.Language = lang;
        var reply = new GuidedReply(db, conversation, inbound, lang);
        var answersReminder = state.Step == Reminded && state.AppointmentId is not null
            && (u.Yes is not null || u.Intents.Contains(Intent.Cancel)) && !u.Intents.Contains(Intent.Reschedule) && u.Date is null && u.Time is null;
        if (onlyReminderAnswers && !answersReminder)
        {
            return false;
        }

        if (u.Intents.Contains(Intent.Human) && !onlyReminderAnswers)
        {
            await HandOffAsync(conversation, inbound, reply, ct);
        }
        else if (state.Step == Confirming && state.Chosen is { } chosen && u.Yes is { } yes && u.Date is null && u.Time is null)
        {
            await (yes ? BookAsync(state, chosen, customerId, services, today, reply, ct) : AskAgain(state, reply));
        }
        else if (answersReminder && state.AppointmentId is { } reminded)
        {
            await AnswerReminderAsync(state, reminded, u.Yes == true && !u.Intents.Contains(Intent.Cancel), reply, today, ct);
        }
        else if (state.Step == ConfirmingCancel && state.AppointmentId is { } appointmentId && u.Yes is { } cancel)
        {
            await ConfirmCancelAsync(state, appointmentId, cancel, reply, ct);
        }
        else if (state.Step == PickingCancel && u.Choice is { } n && n >= 1 && n <= state.Appointments.Count)
        {
            state.AppointmentId = state.Appointments[n - 1];
            state.Step = ConfirmingCancel;
            var line = await DescribeAsync(state.AppointmentId.Value, lang, today, ct);
            reply.Text(GuidedTexts.ConfirmCancel(lang, line));
        }
        else if (state.Step == Picking && Pick(state, u, zone) is { } picked)
        {
            await AskConfirmAsync(state, picked, services, today, reply, ct);
        }
        else if (state.Step == OfferingToBook && u.Yes == true && !u.Intents.Any(Actions.Contains))
        {
            // "No tienes citas próximas. ¿Quieres agendar una?" — "sí" (perhaps with the service or day in it).
            await BookingStepAsync(state, u, services, today, reply, ct);
        }
        else if (!u.Intents.Any(Actions.Contains) && u is { Date: null, Time: null, PartOfDay: null, Choice: null, Yes: null, Services.Count: 0 }
                 && Faq.FaqMatcher.Best(text, await db.FaqEntries.AsNoTracking().Where(f => f.IsActive).ToListAsync(ct)) is { } faq)
        {
            // The business's own answer, word for word.
            reply.Text(faq.Answer);
        }
        else if (u.Intents.Contains(Intent.Reschedule))
        {
            await StartRescheduleAsync(state, customerId, u, lang, today, reply, ct);
        }
        else if (u.Intents.Contains(Intent.Cancel))
        {
            await StartCancelAsync(state, customerId, lang, today, reply, ct);
        }
        else if (u.Intents.Contains(Intent.MyAppointments))
        {
            await ListAppointmentsAsync(state, customerId, lang, today, reply, ct);
        }
        else if (u.Intents.Contains(Intent.Services) && u.Services.Count == 0 && AsksForSomethingElse(text))
        {
            // "¿Hacen tintes para hombre?": not on the menu. Say what is, and pass the question to the owner.
            reply.Text(GuidedTexts.NotOffered(lang, services.Select(s => s.Name.ToLowerInvariant()).ToList(), await OwnerFirstNameAsync(ct)));
            await NotifyOwnerAsync(conversation, GuidedTexts.OwnerQuestion(business, text), ct);
        }
        else if (u.Intents.Contains(Intent.Services))
        {
            reply.Text(GuidedTexts.ServicesList(lang) + "\n" + string.Join("\n", services.Select(s =>
                $"• {s.Name}: {GuidedTexts.Money(s.PriceCents, s.Currency)} ({s.DurationMinutes} min)")));
        }
        else if (u.Intents.Contains(Intent.Hours) || u.Intents.Contains(Intent.Location))
        {
            await HoursAsync(lang, reply, ct);
        }
        else if (u.Intents.Contains(Intent.Book) || u.Intents.Contains(Intent.Reschedule) || u.Services.Count > 0
                 || (state.Step is AskingService or AskingDay or Picking or Confirming && (u.Date is not null || u.Time is not null || u.PartOfDay is not null)))
        {
            await BookingStepAsync(state, u, services, today, reply, ct);
        }
        else if (u.Intents.Contains(Intent.Thanks) || u.Intents.Contains(Intent.Bye))
        {
            state.Step = null;
            reply.Text(GuidedTexts.Thanks(lang));
        }
        else if (u.Intents.Contains(Intent.Greeting))
        {
            var name = await CustomerNameAsync(customerId, ct);
            reply.Text(GuidedTexts.Welcome(lang, organization.Name, name?.Split(' ')[0]));
        }
        else if (state.Step == Confirming)
        {
            reply.Text(GuidedTexts.YesOrNo(lang));
        }
        else if (state.Step == OfferingToBook && u.Yes == false)
        {
            state.Step = null;
            reply.Text(GuidedTexts.WheneverYouLike(lang));
        }
        else if (!text.Any(char.IsLetterOrDigit))
        {
            // Only emoji or punctuation ("🙏", "👍" after a booking, "??"): a warm nudge, not "I didn't get that".
            reply.Text(GuidedTexts.EmojiOnly(lang));
        }
        else
        {
            reply.Text(GuidedTexts.NotUnderstood(lang));
        }

        conversation.AssistantState = JsonSerializer.Serialize(state, JsonColumn.Options);
        return true;
    }

    /// <summary>Requests that outrank an FAQ answer: a message asking to book, move or cancel is about that.</summary>
    private static readonly HashSet<Intent> Actions = [Intent.Book, Intent.Reschedule, Intent.Cancel, Intent.MyAppointments, Intent.Human];

    private static GuidedState Read(string? json)
    {
        try
        {
            return json is null ? new GuidedState() : JsonSerializer.Deserialize<GuidedState>(json, JsonColumn.Options) ?? new GuidedState();
        }
        catch (JsonException)
        {
            return new GuidedState();
        }
    }

    /// <summary>A tap on a list row or button carries its id ("slot:2", "yes"); that is what the customer chose.</summary>
    internal static string? ReplyId(Message inbound)
    {
        if (inbound.ContentType != "interactive" || inbound.Payload is null)
        {
            return null;
        }

        var node = JsonNode.Parse(inbound.Payload);
        var id = (node?["interactive"]?["list_reply"]?["id"] ?? node?["interactive"]?["button_reply"]?["id"])?.GetValue<string>();
        return id switch
        {
            null => null,
            _ when id.StartsWith("slot:", StringComparison.Ordinal) => id[5..],
            _ => id,
        };
    }

    private async Task BookingStepAsync(GuidedState state, Understood u, List<Services.Service> services, LocalDate today, GuidedReply reply, CancellationToken ct)
    {
        var lang = reply.Language;
        if (u.Services.Count > 0 && u.Services[0] is { } match)
        {
            state.ServiceId = match.Id;
        }
        else if (services.Count == 1)
        {
            state.ServiceId = services[0].Id;
        }

        var service = services.FirstOrDefault(s => s.Id == state.ServiceId);
        if (service is null)
        {
            state.Step = AskingService;
            reply.Buttons(GuidedTexts.AskService(lang, services.Select(s => s.Name)),
                services.Count <= 3 ? services.Select(s => new ReplyButton($"service:{s.Id:N}", s.Name)).ToList() : null);
            return;
        }

        if (u.Date is { } date)
        {
            state.Date = date.ToString("yyyy-MM-dd", null);
            state.PartOfDay = u.PartOfDay;
        }
        else if (u.PartOfDay is { } part)
        {
            state.PartOfDay = part;
            state.Date ??= (u.Time is null && part == PartOfDay.Morning ? today.PlusDays(1) : today).ToString("yyyy-MM-dd", null);
        }
        else if (u.Time is not null && state.Date is null)
        {
            state.Date = today.ToString("yyyy-MM-dd", null);
        }

        if (state.Date is null)
        {
            state.Step = AskingDay;
            reply.Text(GuidedTexts.AskDay(lang, service.Name));
            return;
        }

        await OfferAsync(state, service, LocalDate.FromDateTime(DateTime.Parse(state.Date, System.Globalization.CultureInfo.InvariantCulture)), u.Time, today, reply, null, ct);
    }

    /// <summary>Offers free times on the day asked (in the part of day asked); when none fit, the nearest ones after it.</summary>
    private async Task OfferAsync(
        GuidedState state, Services.Service service, LocalDate day, LocalTime? time, LocalDate today, GuidedReply reply, string? preface, CancellationToken ct)
    {
        var lang = reply.Language;
        // The day asked first (most turns end there); the next two weeks only when it has nothing that fits.
        var from = day < today ? today : day;
        var zone = tenant.Zone;
        var slots = (await booking.FindSlotsAsync(new SlotSearch(service.Id, from, from, null), ct)).Value.Slots ?? [];
        if (!slots.Any(s => s.Start.InZone(zone).Date == day && (state.PartOfDay is not { } part || InPart(s.Start.InZone(zone).TimeOfDay, part))))
        {
            slots = (await booking.FindSlotsAsync(new SlotSearch(service.Id, from, from.PlusDays(13), null), ct)).Value.Slots ?? [];
        }

        bool Fits(Slot s)
        {
            var local = s.Start.InZone(zone);
            return local.Date == day && (state.PartOfDay is not { } p || InPart(local.TimeOfDay, p));
        }

        if (time is { } wanted && slots.FirstOrDefault(s => s.Start.InZone(zone).Date == day && s.Start.InZone(zone).TimeOfDay == wanted) is { Start: var start } exact
            && exact.StaffId != Guid.Empty)
        {
            await AskConfirmAsync(state, new Offer(start.ToUnixTimeSeconds(), exact.StaffId, await StaffNameAsync(exact.StaffId, ct)), [service], today, reply, ct);
            return;
        }

        var fitting = slots.Where(Fits).ToList();
        var part = time is null ? state.PartOfDay : null;

        // What fits the day (and part of day) asked; else that day's other times, nearest the part asked;
        // else the first later day with times in that part; else the first times after the day.
        List<Slot> Pool()
        {
            if (fitting.Count > 0)
            {
                return fitting;
            }

            var later = slots.Where(s => s.Start.InZone(zone).Date >= day).ToList();
            var sameDay = later.Where(s => s.Start.InZone(zone).Date == day).ToList();
            if (sameDay.Count > 0)
            {
                return sameDay;
            }

            return part is { } p && later.FirstOrDefault(s => InPart(s.Start.InZone(zone).TimeOfDay, p)) is { } first
                ? later.Where(s => s.Start.InZone(zone).Date == first.Start.InZone(zone).Date && InPart(s.Start.InZone(zone).TimeOfDay, p)).ToList()
                : later;
        }

        var chosen = Pool()
            .OrderBy(s => time is { } t ? Math.Abs(Period.Between(s.Start.InZone(zone).TimeOfDay, t, PeriodUnits.Minutes).Minutes)
                : part is { } p ? MinutesOutside(s.Start.InZone(zone).TimeOfDay, p) : 0)
            .ThenBy(s => s.Start)
            .Take(MaxOffers)
            .OrderBy(s => s.Start)
            .ToList();
        if (chosen.Count == 0)
        {
            state.Step = null;
            reply.Text(GuidedTexts.NothingSoon(lang, service.Name));
            return;
        }

        var staff = await tenantData.StaffAsync(ct);
        state.Offers = chosen.Select(s => new Offer(s.Start.ToUnixTimeSeconds(), s.StaffId, staff.FirstOrDefault(m => m.Id == s.StaffId)?.Name)).ToList();
        state.Step = Picking;
        var offerDay = chosen[0].Start.InZone(zone).Date;
        // A time asked is never among these (a free one goes straight to "shall I book?"); without one,
        // the offers are what was asked exactly when something fit the day (and part of day).
        var asked = time is null && fitting.Count > 0;
        var header = GuidedTexts.Offer(lang, GuidedTexts.Day(lang, offerDay, today), service.Name, GuidedTexts.Money(service.PriceCents, service.Currency),
            asked ? null : new GuidedTexts.Missed(time is not null, part, offerDay == day));
        var lines = new StringBuilder(preface is null ? header : $"{preface}\n{header}");
        var rows = new List<ListRow>();
        for (var i = 0; i < chosen.Count; i++)
        {
            var local = chosen[i].Start.InZone(zone);
            var label = local.Date == offerDay ? GuidedTexts.Time(lang, local.TimeOfDay) : $"{GuidedTexts.Day(lang, local.Date, today)} {GuidedTexts.Time(lang, local.TimeOfDay)}";
            lines.Append('\n').Append(i + 1).Append(". ").Append(label);
            rows.Add(new ListRow($"slot:{i + 1}", label.Length > 24 ? GuidedTexts.Time(lang, local.TimeOfDay) : label));
        }

        lines.Append('\n').Append(GuidedTexts.WhichOne(lang));
        reply.List(lines.ToString(), new ListMenu(GuidedTexts.ListButton(lang), [new ListSection(service.Name.Length > 24 ? service.Name[..24] : service.Name, rows)]));
    }

    private static bool InPart(LocalTime t, PartOfDay part) => MinutesOutside(t, part) == 0;

    /// <summary>How far a time falls outside a part of the day (morning before 12, afternoon 12–18, evening after), in minutes; 0 inside it.</summary>
    private static int MinutesOutside(LocalTime t, PartOfDay part)
    {
        var (from, to) = part switch
        {
            PartOfDay.Morning => (0, 12 * 60),
            PartOfDay.Afternoon => (12 * 60, 18 * 60),
            _ => (18 * 60, 24 * 60),
        };
        var minute = (t.Hour * 60) + t.Minute;
        return minute < from ? from - minute : minute >= to ? minute - to + 1 : 0;
    }

    /// <summary>"2", "la segunda", a list tap, or a time that is one of the offers.</summary>
    private static Offer? Pick(GuidedState state, Understood u, DateTimeZone zone)
    {
        if (u.Choice is { } n && n >= 1 && n <= state.Offers.Count && u.Time is null)
        {
            return state.Offers[n - 1];
        }

        if (u.Time is { } t && (u.Date is null || u.Date == Instant.FromUnixTimeSeconds(state.Offers.FirstOrDefault()?.Start ?? 0).InZone(zone).Date))
        {
            return state.Offers.FirstOrDefault(o => Instant.FromUnixTimeSeconds(o.Start).InZone(zone).TimeOfDay == t);
        }

        return null;
    }

    private async Task AskConfirmAsync(GuidedState state, Offer offer, List<Services.Service> services, LocalDate today, GuidedReply reply, CancellationToken ct)
    {
        var lang = reply.Language;
        var service = services.FirstOrDefault(s => s.Id == state.ServiceId) ?? (await tenantData.ServicesAsync(ct)).First(s => s.Id == state.ServiceId);
        var staff = offer.StaffName ?? await StaffNameAsync(offer.StaffId, ct);
        var local = Instant.FromUnixTimeSeconds(offer.Start).InZone(tenant.Zone);
        state.Chosen = offer;
        state.Step = Confirming;
        reply.Buttons(
            GuidedTexts.Confirm(lang, service.Name, GuidedTexts.Day(lang, local.Date, today), GuidedTexts.Time(lang, local.TimeOfDay), staff,
                GuidedTexts.Money(service.PriceCents, service.Currency)),
            GuidedReply.YesNo(lang));
    }

    private async Task BookAsync(GuidedState state, Offer chosen, Guid customerId, List<Services.Service> services, LocalDate today, GuidedReply reply, CancellationToken ct)
    {
        var lang = reply.Language;
        var service = services.FirstOrDefault(s => s.Id == state.ServiceId) ?? (await tenantData.ServicesAsync(ct)).First(s => s.Id == state.ServiceId);
        var start = Instant.FromUnixTimeSeconds(chosen.Start);
        var result = state.Moving && state.AppointmentId is { } moving
            ? await booking.RescheduleAsync(moving, start, chosen.StaffId, null, overrideAvailability: false, "customer", ct)
            : await BookWithAsync(chosen.StaffId);
        if (result.Error is not null && !state.Moving)
        {
            // The customer asked for a time, not for that barber: when someone took it with them since it
            // was offered, whoever else is free at that same time takes the customer (the reply names them).
            result = await BookWithAsync(null);
        }

        if (result.Error is not null)
        {
            // Taken since it was offered: say so and offer what is free now.
            var day = Instant.FromUnixTimeSeconds(chosen.Start).InZone(tenant.Zone).Date;
            state.Chosen = null;
            await OfferAsync(state, service, day, null, today, reply, GuidedTexts.JustTaken(lang), ct);
            return;
        }

        var appointment = result.Value!;
        var local = Instant.FromDateTimeUtc(appointment.StartAt).InZone(tenant.Zone);
        var staff = await StaffNameAsync(appointment.StaffId, ct);
        var name = await CustomerNameAsync(customerId, ct);
        reply.Text(state.Moving
            ? GuidedTexts.Moved(lang, name?.Split(' ')[0], GuidedTexts.Day(lang, local.Date, today), GuidedTexts.Time(lang, local.TimeOfDay))
            : GuidedTexts.Booked(lang, name?.Split(' ')[0], service.Name, GuidedTexts.Day(lang, local.Date, today), GuidedTexts.Time(lang, local.TimeOfDay), staff));
        state.Step = null;
        state.Moving = false;
        state.AppointmentId = null;
        state.Chosen = null;
        state.Offers = [];
        state.Date = null;
        state.PartOfDay = null;
        return;

        Task<Scheduled<Appointment>> BookWithAsync(Guid? staffId) => booking.BookAsync(new BookingRequest(
            service.Id, start, staffId, customerId, null, null,
            reply.Inbound.Channel == MessageChannel.Sms ? AppointmentSource.Sms : AppointmentSource.Whatsapp, null, OverrideAvailability: false, "assistant"), ct);
    }

    private static Task AskAgain(GuidedState state, GuidedReply reply)
    {
        state.Step = AskingDay;
        state.Chosen = null;
        state.Date = null;
        state.PartOfDay = null;
        reply.Text(GuidedTexts.OtherTime(reply.Language));
        return Task.CompletedTask;
    }

    private async Task<List<Appointment>> UpcomingAsync(Guid customerId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return await db.Appointments.AsNoTracking()
            .Where(a => a.CustomerId == customerId && a.StartAt >= now && (a.Status == AppointmentStatus.Confirmed || a.Status == AppointmentStatus.Pending))
            .OrderBy(a => a.StartAt).Take(5).ToListAsync(ct);
    }

    /// <summary>"You have no upcoming appointments. Would you like to book one?": a "yes" next starts booking.</summary>
    private static void NoAppointments(GuidedState state, GuidedReply reply)
    {
        state.Step = OfferingToBook;
        reply.Text(GuidedTexts.NoAppointments(reply.Language));
    }

    private async Task<string> DescribeAsync(Guid appointmentId, Language lang, LocalDate today, CancellationToken ct) =>
        await DescribeAsync(await db.Appointments.AsNoTracking().FirstAsync(x => x.Id == appointmentId, ct), lang, today, ct);

    /// <summary>"mañana martes 24 de noviembre, 4:00 p.m. (Corte de cabello)".</summary>
    private async Task<string> DescribeAsync(Appointment a, Language lang, LocalDate today, CancellationToken ct)
    {
        var service = (await tenantData.ServicesAsync(ct)).First(s => s.Id == a.ServiceId).Name;
        var local = Instant.FromDateTimeUtc(a.StartAt).InZone(tenant.Zone);
        return $"{GuidedTexts.Day(lang, local.Date, today)}, {GuidedTexts.Time(lang, local.TimeOfDay)} ({service})";
    }

    private async Task ListAppointmentsAsync(GuidedState state, Guid customerId, Language lang, LocalDate today, GuidedReply reply, CancellationToken ct)
    {
        var upcoming = await UpcomingAsync(customerId, ct);
        if (upcoming.Count == 0)
        {
            NoAppointments(state, reply);
            return;
        }

        var lines = new List<string> { GuidedTexts.YourAppointments(lang) };
        foreach (var a in upcoming)
        {
            lines.Add("• " + await DescribeAsync(a, lang, today, ct));
        }

        reply.Text(string.Join("\n", lines));
    }

    private async Task StartCancelAsync(GuidedState state, Guid customerId, Language lang, LocalDate today, GuidedReply reply, CancellationToken ct)
    {
        var upcoming = await UpcomingAsync(customerId, ct);
        if (upcoming.Count == 0)
        {
            NoAppointments(state, reply);
            return;
        }

        if (upcoming.Count == 1)
        {
            state.AppointmentId = upcoming[0].Id;
            state.Step = ConfirmingCancel;
            reply.Text(GuidedTexts.ConfirmCancel(lang, await DescribeAsync(upcoming[0], lang, today, ct)));
            return;
        }

        state.Appointments = upcoming.Select(a => a.Id).ToList();
        state.Step = PickingCancel;
        var lines = new List<string> { GuidedTexts.YourAppointments(lang) };
        for (var i = 0; i < upcoming.Count; i++)
        {
            lines.Add($"{i + 1}. " + await DescribeAsync(upcoming[i], lang, today, ct));
        }

        lines.Add(GuidedTexts.WhichToCancel(lang));
        reply.Text(string.Join("\n", lines));
    }

    /// <summary>"Necesito cambiar mi cita de mañana": the appointment on that day (or the next one), then the usual offer-and-confirm, moving it.</summary>
    private async Task StartRescheduleAsync(GuidedState state, Guid customerId, Understood u, Language lang, LocalDate today, GuidedReply reply, CancellationToken ct)
    {
        var upcoming = await UpcomingAsync(customerId, ct);
        var appointment = upcoming.FirstOrDefault(a => u.Date is { } d && Instant.FromDateTimeUtc(a.StartAt).InZone(tenant.Zone).Date == d) ?? upcoming.FirstOrDefault();
        if (appointment is null)
        {
            NoAppointments(state, reply);
            return;
        }

        state.AppointmentId = appointment.Id;
        state.ServiceId = appointment.ServiceId;
        state.Moving = true;
        state.Date = null;
        state.PartOfDay = null;
        state.Step = AskingDay;
        reply.Text(GuidedTexts.WhenToMove(lang, await DescribeAsync(appointment, lang, today, ct)));
    }

    private async Task ConfirmCancelAsync(GuidedState state, Guid appointmentId, bool yes, GuidedReply reply, CancellationToken ct)
    {
        state.Step = null;
        state.AppointmentId = null;
        if (!yes)
        {
            reply.Text(GuidedTexts.KeptAppointment(reply.Language));
            return;
        }

        var result = await booking.CancelAsync(appointmentId, "Cancelled by the customer by chat", "customer", ct);
        reply.Text(result.Error is null ? GuidedTexts.Cancelled(reply.Language) : GuidedTexts.KeptAppointment(reply.Language));
    }

    /// <summary>"Sí" to a reminder confirms (a pending booking becomes confirmed); "no"/"cancelar" cancels it.</summary>
    private async Task AnswerReminderAsync(GuidedState state, Guid appointmentId, bool confirm, GuidedReply reply, LocalDate today, CancellationToken ct)
    {
        state.Step = null;
        state.AppointmentId = null;
        var appointment = await db.Appointments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == appointmentId, ct);
        if (appointment is null || !appointment.Status.IsActive())
        {
            NoAppointments(state, reply);
            return;
        }

        var line = await DescribeAsync(appointment, reply.Language, today, ct);
        if (confirm)
        {
            if (appointment.Status == AppointmentStatus.Pending)
            {
                await booking.ConfirmAsync(appointmentId, "customer", ct);
            }

            reply.Text(GuidedTexts.SeeYou(reply.Language, line));
            return;
        }

        var result = await booking.CancelAsync(appointmentId, "Cancelled by the customer answering the reminder", "customer", ct);
        reply.Text(result.Error is null ? GuidedTexts.Cancelled(reply.Language) : GuidedTexts.KeptAppointment(reply.Language));
    }

    /// <summary>The customer's name; the customer is usually already loaded (the message came from them), so no query.</summary>
    private async Task<string?> CustomerNameAsync(Guid customerId, CancellationToken ct) =>
        (await db.Customers.FindAsync([customerId], ct))?.DisplayName;

    private async Task HoursAsync(Language lang, GuidedReply reply, CancellationToken ct)
    {
        var location = await tenantData.PrimaryLocationAsync(ct);
        var lines = new List<string> { GuidedTexts.Hours(lang) };
        foreach (var day in Enum.GetValues<IsoDayOfWeek>().Where(d => d != IsoDayOfWeek.None))
        {
            var open = location?.BusinessHours.For(day) ?? [];
            lines.Add($"• {GuidedTexts.WeekdayName(lang, day)}: {(open.Count == 0 ? GuidedTexts.Closed(lang) : string.Join(", ", open.Select(i => $"{i.Open}–{i.Close}")))}");
        }

        if (location?.Address is { Length: > 0 } address)
        {
            lines.Add($"📍 {address}");
        }

        reply.Text(string.Join("\n", lines));
    }

    /// <summary>A person takes it from here: the chat goes to "human" and the owner is told on their own WhatsApp.</summary>
    private async Task HandOffAsync(Conversation conversation, Message inbound, GuidedReply reply, CancellationToken ct)
    {
        reply.Text(GuidedTexts.Handoff(reply.Language));
        await HandOverAsync(conversation, inbound, ct);
    }

    /// <summary>The chat goes to "human" and the owner is told; shared with the LLM engine's hand_off_to_human tool, which writes its own reply.</summary>
    public async Task HandOverAsync(Conversation conversation, Message inbound, CancellationToken ct)
    {
        conversation.Status = ConversationStatus.Human;
        var customer = await db.Customers.AsNoTracking().FirstAsync(c => c.Id == conversation.CustomerId, ct);
        await NotifyOwnerAsync(conversation, $"🙋 {customer.DisplayName ?? customer.PhoneNumber} ({customer.PhoneNumber}): «{inbound.Body}»", ct);
    }

    /// <summary>A note to the owner on their own chat with the business number (made on first need).</summary>
    private async Task NotifyOwnerAsync(Conversation conversation, string text, CancellationToken ct)
    {
        var owner = await tenantData.OwnerAsync(ct);
        if (owner is null)
        {
            return;
        }

        var ownerChat = await db.Conversations.FirstOrDefaultAsync(c => c.StaffId == owner.Id && c.Channel == conversation.Channel, ct);
        if (ownerChat is null)
        {
            ownerChat = new Conversation { StaffId = owner.Id, Channel = conversation.Channel, Address = owner.PhoneNumber };
            db.Conversations.Add(ownerChat);
        }

        var customer = await db.Customers.AsNoTracking().FirstAsync(c => c.Id == conversation.CustomerId, ct);
        Outbox.Queue(db, ownerChat, text.Replace("{phone}", customer.PhoneNumber, StringComparison.Ordinal), MessagePurpose.System, sender: SenderType.System);
    }

    private async Task<string> StaffNameAsync(Guid staffId, CancellationToken ct) =>
        (await tenantData.StaffAsync(ct)).First(s => s.Id == staffId).Name;

    private async Task<string?> OwnerFirstNameAsync(CancellationToken ct) =>
        (await tenantData.OwnerAsync(ct))?.Name.Split(' ')[0];

    private static readonly string[] AskVerbs = ["hacen", "tienen", "ofrecen", "manejan", "venden", "dan", "do", "offer", "have", "sell", "mnafanya", "mnauza", "mna", "mnatoa"];

    private static readonly HashSet<string> Generic = new(StringComparer.Ordinal)
    {
        "servicio", "servicios", "precio", "precios", "que", "algo", "cosas", "otro", "otros", "otras", "ustedes", "aqui", "you", "what", "any",
        "services", "service", "prices", "price", "there", "here", "huduma", "bei", "nini", "gani", "hapa", "saber", "quiero", "want", "know",
        "para", "for", "con", "with", "los", "las", "the", "hay", "kwa", "the", "your", "sus", "tus", "and", "y", "na",
    };

    /// <summary>"¿Hacen tintes para hombre?", "do you do braids?": a question naming something besides the generic words.</summary>
    private static bool AsksForSomethingElse(string text)
    {
        var words = Understand.Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.FindIndex(words, w => AskVerbs.Contains(w));
        return at >= 0 && words.Skip(at + 1).Any(w => w.Length >= 4 && !Generic.Contains(w) && !w.All(char.IsDigit));
    }
}
