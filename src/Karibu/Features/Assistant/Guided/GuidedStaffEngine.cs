using System.Globalization;
using System.Text.Json;
using Karibu.Common;
using Karibu.Data;
using Karibu.Features.Assistant.Understanding;
using Karibu.Features.Conversations;
using Karibu.Features.Customers;
using Karibu.Features.Messaging;
using Karibu.Features.Organizations;
using Karibu.Features.Scheduling;
using Karibu.Features.Staff;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Karibu.Features.Assistant.Guided;

/// <summary>Where a staff member's chat is: the question the assistant asked last and what it has gathered.</summary>
internal sealed class StaffState
{
    public string? Step { get; set; }
    public Language? Language { get; set; }

    /// <summary><c>no_show</c> or <c>completed</c> while an appointment is being marked.</summary>
    public string? Mark { get; set; }

    public List<Guid> Candidates { get; set; } = [];
    public Guid? AppointmentId { get; set; }
    public Guid? CustomerId { get; set; }
    public Guid? ServiceId { get; set; }
    public string? Phone { get; set; }
    public string? Name { get; set; }
    public string? Date { get; set; }

    /// <summary>"HH:mm": where the offered "block the rest of the day" starts.</summary>
    public string? RestFrom { get; set; }

    public Guid? NewStaffId { get; set; }
    public List<Guid> ServiceChoices { get; set; } = [];
}

/// <summary>
/// Staff and owners write from their own phone to run their day: their agenda (and, with permission, the
/// business's), block time, mark no-shows and completed appointments (and message the customer), register
/// walk-ins, look up a customer's history, and (owners) add someone to the team. One question at a time;
/// every action goes through <see cref="BookingService"/> and is checked against the sender's permissions.
/// </summary>
internal sealed class GuidedStaffEngine(KaribuDb db, BookingService booking, TenantContext tenant, TimeProvider time)
{
    private const string BlockMore = "block_more";
    private const string MarkConfirm = "mark_confirm";
    private const string MarkPick = "mark_pick";
    private const string MessageOffer = "message_offer";
    private const string WalkInService = "walkin_service";
    private const string WalkInPhone = "walkin_phone";
    private const string WalkInName = "walkin_name";
    private const string HistoryPhone = "history_phone";
    private const string AddName = "add_name";
    private const string AddPhone = "add_phone";
    private const string AddServices = "add_services";
    private const string AddWelcome = "add_welcome";

    private static readonly string[] Arrived = ["llego", "llegaron", "arrived", "amefika", "wamefika"];
    private const string CheckInPick = "checkin_pick";

    private static readonly string[] Everything = ["todos", "todas", "todo", "all", "everything", "zote", "yote", "kila"];
    private static readonly string[] Onwards = ["adelante", "onwards", "onward", "rest", "resto", "kuendelea", "cierre", "close", "closing"];

    public async Task RespondAsync(Conversation conversation, Message inbound, Organization organization, Guid staffId, CancellationToken ct)
    {
        var member = await db.Staff.AsNoTracking().FirstAsync(s => s.Id == staffId, ct);
        var zone = tenant.Zone;
        var now = Instant.FromDateTimeOffset(time.GetUtcNow());
        var today = now.InZone(zone).Date;
        var services = await db.Services.AsNoTracking().Where(s => s.IsActive).OrderBy(s => s.Name).ToListAsync(ct);
        var business = GuidedTexts.FromLocale(organization.Locale);
        var tap = GuidedEngine.ReplyId(inbound);
        var text = tap ?? inbound.Body ?? "";
        var u = Understand.Read(text, today, services.Select(s => new ServiceOption(s.Id, s.Name)).ToList(), business);
        var state = Read(conversation.AssistantState);
        var lang = (tap is null ? u.Language : null) ?? state.Language ?? business;
        state.Language = lang;
        var turn = new Turn(member, u, text, lang, today, now, new GuidedReply(db, conversation, inbound, lang), organization, conversation);

        if (!await AnswerStepAsync(state, turn, services, ct))
        {
            state = new StaffState { Language = lang };
            await StartAsync(state, turn, services, ct);
        }

        conversation.AssistantState = JsonSerializer.Serialize(state, JsonColumn.Options);
    }

    private sealed record Turn(
        StaffMember Member, Understood U, string Text, Language Lang, LocalDate Today, Instant Now, GuidedReply Reply,
        Organization Organization, Conversation Conversation)
    {
        public bool IsOwner => Member.Role == StaffRole.Owner;

        public bool May(string permission) => IsOwner || Member.Permissions.Contains(permission);

        public string First => Member.Name.Split(' ')[0];
    }

    private static StaffState Read(string? json)
    {
        try
        {
            return json is null ? new StaffState() : JsonSerializer.Deserialize<StaffState>(json, JsonColumn.Options) ?? new StaffState();
        }
        catch (JsonException)
        {
            return new StaffState();
        }
    }

    /// <summary>A new request: what the message asks for.</summary>
    private async Task StartAsync(StaffState state, Turn t, List<Services.Service> services, CancellationToken ct)
    {
        var intents = t.U.Intents;
        if (intents.Contains(Intent.AddStaff))
        {
            StartAddStaff(state, t);
        }
        else if (intents.Contains(Intent.BlockTime))
        {
            await BlockAsync(state, t, ct);
        }
        else if (intents.Contains(Intent.NoShow) || intents.Contains(Intent.Completed))
        {
            state.Mark = intents.Contains(Intent.NoShow) ? "no_show" : "completed";
            await FindToMarkAsync(state, t, ct);
        }
        else if (intents.Contains(Intent.WalkIn))
        {
            await WalkInAsync(state, t, services, ct);
        }
        else if (intents.Contains(Intent.CustomerHistory))
        {
            await HistoryAsync(state, t, ct);
        }
        else if (Understand.Normalize(t.Text).Split(' ') is var said && said.Any(Arrived.Contains))
        {
            await CheckInAsync(state, t, said, ct);
        }
        else if (intents.Contains(Intent.BusinessAgenda) || intents.Contains(Intent.MyAgenda) || (t.U.Date is not null && intents.Count == 0))
        {
            await AgendaAsync(t, intents.Contains(Intent.BusinessAgenda), ct);
        }
        else if (intents.Contains(Intent.Cancel) || intents.Contains(Intent.Reschedule))
        {
            // Moving or cancelling a customer's booking by chat is for the customer, or for staff in the app.
            t.Reply.Text(t.May("manage_appointments") ? StaffTexts.CancelInApp(t.Lang) : StaffTexts.NotAllowed(t.Lang));
        }
        else if ((intents.Contains(Intent.Thanks) || intents.Contains(Intent.Bye)) && !intents.Contains(Intent.Greeting))
        {
            t.Reply.Text(GuidedTexts.Thanks(t.Lang));
        }
        else
        {
            t.Reply.Text(StaffTexts.Help(t.Lang, t.First, t.IsOwner || t.May("manage_staff")));
        }
    }

    /// <summary>The answer to the question asked last; false when the message is something else (a new request).</summary>
    private async Task<bool> AnswerStepAsync(StaffState state, Turn t, List<Services.Service> services, CancellationToken ct)
    {
        var u = t.U;
        var newRequest = u.Intents.Any(i => i is not (Intent.Greeting or Intent.Thanks or Intent.Bye or Intent.Book));
        switch (state.Step)
        {
            case BlockMore when u.Yes is { } yes && state.RestFrom is { } restFrom && state.Date is { } date:
                await BlockRestAsync(state, t, yes, LocalDate.FromDateTime(DateTime.Parse(date, CultureInfo.InvariantCulture)), Hhmm(restFrom), ct);
                return true;
            case MarkConfirm when u.Yes is { } yes && state.AppointmentId is { } id:
                if (yes)
                {
                    await MarkAsync(state, t, id, ct);
                }
                else
                {
                    state.Step = null;
                    t.Reply.Text(StaffTexts.NothingChanged(t.Lang));
                }

                return true;
            case MarkPick when u.Choice is { } n && n >= 1 && n <= state.Candidates.Count:
                await MarkAsync(state, t, state.Candidates[n - 1], ct);
                return true;
            case CheckInPick when u.Choice is { } pick && pick >= 1 && pick <= state.Candidates.Count:
                await RecordArrivalAsync(state, t, await db.Appointments.AsNoTracking().FirstAsync(a => a.Id == state.Candidates[pick - 1], ct), ct);
                return true;
            case MessageOffer when u.Yes is { } yes && state.CustomerId is { } customerId:
                state.Step = null;
                if (yes)
                {
                    await MessageMissedCustomerAsync(t, customerId, ct);
                }
                else
                {
                    t.Reply.Text(StaffTexts.AnythingElse(t.Lang));
                }

                return true;
            case WalkInService when !newRequest && (u.Services.Count > 0 || u.Choice is not null):
                var offered = Offered(t.Member, services);
                var service = u.Choice is { } c && c >= 1 && c <= state.ServiceChoices.Count
                    ? offered.FirstOrDefault(s => s.Id == state.ServiceChoices[c - 1])
                    : offered.FirstOrDefault(s => s.Id == (u.Services.Count > 0 ? u.Services[0].Id : (Guid?)null));
                if (service is null)
                {
                    return false;
                }

                state.ServiceId = service.Id;
                await WalkInNextAsync(state, t, ct);
                return true;
            case WalkInPhone when !newRequest:
                if (!Phone(u.Phone ?? t.Text, out var phone))
                {
                    t.Reply.Text(StaffTexts.BadPhone(t.Lang));
                    return true;
                }

                state.Phone = phone;
                state.Name ??= u.Name;
                await WalkInNextAsync(state, t, ct);
                return true;
            case WalkInName or AddName when !newRequest:
                if ((Understand.NameOnly(t.Text) ?? u.Name) is not { } name)
                {
                    t.Reply.Text(StaffTexts.AskName(t.Lang));
                    return true;
                }

                state.Name = name;
                if (state.Step == WalkInName)
                {
                    await WalkInNextAsync(state, t, ct);
                }
                else
                {
                    state.Step = AddPhone;
                    t.Reply.Text(StaffTexts.AskStaffPhone(t.Lang));
                }

                return true;
            case HistoryPhone when !newRequest:
                await HistoryAsync(state, t, ct);
                return true;
            case AddPhone when !newRequest:
                await AddStaffPhoneAsync(state, t, services, ct);
                return true;
            case AddServices when !newRequest:
                await AddStaffServicesAsync(state, t, services, ct);
                return true;
            case AddWelcome when u.Yes is { } yes && state.NewStaffId is { } newStaff:
                state.Step = null;
                await WelcomeAsync(t, newStaff, yes, ct);
                return true;
            default:
                return false;
        }
    }

    // ---------------------------------------------------------------- agenda

    /// <summary>"¿Qué tengo hoy?": appointments, blocks and free gaps of the day; the business's with permission.</summary>
    private async Task AgendaAsync(Turn t, bool everyone, CancellationToken ct)
    {
        if (everyone && !t.May("view_all_schedules"))
        {
            t.Reply.Text(GuidedTexts.NotAllowed(t.Lang));
            return;
        }

        var day = t.U.Date ?? t.Today;
        var zone = tenant.Zone;
        var from = day.AtStartOfDayInZone(zone).ToDateTimeUtc();
        var to = day.PlusDays(1).AtStartOfDayInZone(zone).ToDateTimeUtc();
        var staffId = t.Member.Id;
        var appointments = await db.Appointments.AsNoTracking()
            .Where(a => a.StartAt >= from && a.StartAt < to && (everyone || a.StaffId == staffId)
                        && (a.Status == AppointmentStatus.Confirmed || a.Status == AppointmentStatus.Pending || a.Status == AppointmentStatus.Completed))
            .OrderBy(a => a.StartAt).ToListAsync(ct);
        var names = await NamesAsync(appointments, ct);
        var dayText = GuidedTexts.Day(t.Lang, day, t.Today);
        var lines = new List<(LocalTime At, string Line)>();
        foreach (var a in appointments)
        {
            var local = Instant.FromDateTimeUtc(a.StartAt).InZone(zone).TimeOfDay;
            lines.Add((local, $"⏰ {GuidedTexts.Time(t.Lang, local)} {names.Services.GetValueOrDefault(a.ServiceId)} — {names.Customers.GetValueOrDefault(a.CustomerId)}"
                              + (a.Status == AppointmentStatus.Completed ? " ✓" : "")
                              + (everyone ? $" ({names.Staff.GetValueOrDefault(a.StaffId)})" : "")));
        }

        if (!everyone)
        {
            var blocks = await db.AvailabilityRules.AsNoTracking()
                .Where(r => r.StaffId == staffId && r.Type == AvailabilityRuleType.Exception && r.ExceptionDate == day && !r.IsAvailable)
                .ToListAsync(ct);
            if (blocks.Any(b => b.StartTime is null))
            {
                t.Reply.Text(StaffTexts.DayOff(t.Lang) + $" ({dayText})");
                return;
            }

            lines.AddRange(blocks.Select(b => (b.StartTime!.Value,
                StaffTexts.BlockedLine(t.Lang, GuidedTexts.Time(t.Lang, b.StartTime.Value), GuidedTexts.Time(t.Lang, b.EndTime ?? new LocalTime(23, 59)), b.Note))));
            var busy = appointments.Select(a => (Instant.FromDateTimeUtc(a.StartAt).InZone(zone).TimeOfDay, Instant.FromDateTimeUtc(a.BlockedUntil).InZone(zone).TimeOfDay));
            foreach (var (start, end) in await FreeGapsAsync(staffId, day, busy, t.Now, ct))
            {
                lines.Add((start, StaffTexts.Free(t.Lang, GuidedTexts.Time(t.Lang, start), GuidedTexts.Time(t.Lang, end))));
            }
        }

        if (appointments.Count == 0 && lines.Count == 0)
        {
            t.Reply.Text(GuidedTexts.EmptyAgenda(t.Lang, dayText, everyone));
            return;
        }

        var header = appointments.Count == 0 ? GuidedTexts.EmptyAgenda(t.Lang, dayText, everyone) : GuidedTexts.AgendaHeader(t.Lang, dayText, appointments.Count, everyone);
        t.Reply.Text(header + "\n" + string.Join("\n", lines.OrderBy(l => l.At).Select(l => l.Line)));
    }

    /// <summary>The staff member's working time that day not taken by appointments (and, today, not already past).</summary>
    private async Task<List<(LocalTime Start, LocalTime End)>> FreeGapsAsync(
        Guid staffId, LocalDate day, IEnumerable<(LocalTime Start, LocalTime End)> busy, Instant now, CancellationToken ct)
    {
        var working = await WorkingAsync(staffId, day, ct);
        var nowLocal = now.InZone(tenant.Zone);
        var gaps = new List<(LocalTime, LocalTime)>();
        var taken = busy.OrderBy(b => b.Start).ToList();
        foreach (var (open, close) in working)
        {
            var cursor = day == nowLocal.Date && nowLocal.TimeOfDay > open ? nowLocal.TimeOfDay : open;
            foreach (var (start, end) in taken.Where(b => b.End > open && b.Start < close))
            {
                if (start > cursor && Period.Between(cursor, start, PeriodUnits.Minutes).Minutes >= 30)
                {
                    gaps.Add((cursor, start));
                }

                cursor = end > cursor ? end : cursor;
            }

            if (close > cursor && Period.Between(cursor, close, PeriodUnits.Minutes).Minutes >= 30)
            {
                gaps.Add((cursor, close));
            }
        }

        return gaps;
    }

    private async Task<List<(LocalTime Start, LocalTime End)>> WorkingAsync(Guid staffId, LocalDate day, CancellationToken ct)
    {
        var rules = await db.AvailabilityRules.AsNoTracking().Where(r => r.StaffId == staffId).ToListAsync(ct);
        var hours = await db.Locations.AsNoTracking().Where(l => l.IsPrimary).Select(l => l.BusinessHours).FirstOrDefaultAsync(ct);
        return hours is null ? [] : SlotFinder.WorkingIntervals(rules, hours, day);
    }

    private sealed record Names(Dictionary<Guid, string> Services, Dictionary<Guid, string> Customers, Dictionary<Guid, string> Staff);

    private async Task<Names> NamesAsync(List<Appointment> appointments, CancellationToken ct)
    {
        var customerIds = appointments.Select(a => a.CustomerId).Distinct().ToList();
        return new Names(
            await db.Services.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, ct),
            await db.Customers.AsNoTracking().Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.DisplayName ?? c.PhoneNumber, ct),
            await db.Staff.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, ct));
    }

    // ---------------------------------------------------------------- block time

    /// <summary>"Bloquea de 2 a 3 para mi comida", "Bloquea las 4", "bloquea de 5 en adelante", "bloquea el sábado".</summary>
    private async Task BlockAsync(StaffState state, Turn t, CancellationToken ct)
    {
        var day = t.U.Date ?? t.Today;
        var working = await WorkingAsync(t.Member.Id, day, ct);
        var dayEnd = working.Count > 0 ? working[^1].End : new LocalTime(23, 59);
        var words = Understand.Normalize(t.Text).Split(' ');
        LocalTime? start = null, end = null;
        if (t.U.Range is { } range)
        {
            (start, end) = (range.Start, range.End);
        }
        else if (t.U.Time is { } at)
        {
            start = at;
            end = words.Any(Onwards.Contains) ? dayEnd : Min(at.PlusHours(1), dayEnd > at ? dayEnd : at.PlusHours(1));
        }
        else if (t.U.Date is null)
        {
            t.Reply.Text(StaffTexts.AskBlockWhen(t.Lang));
            return;
        }

        if (start is { } s && end is { } e && e <= s)
        {
            t.Reply.Text(StaffTexts.BlockFailed(t.Lang));
            return;
        }

        var note = Note(t.Text);
        var result = await booking.BlockTimeAsync(t.Member.Id, day, start, end, note, Actor(t.Member), ct);
        if (result.Error is { } error)
        {
            t.Reply.Text(StaffTexts.Failed(t.Lang, error.Message));
            return;
        }

        var dayText = GuidedTexts.Day(t.Lang, day, t.Today);
        var lines = new List<string>();
        if (start is null)
        {
            lines.Add(StaffTexts.BlockedDay(t.Lang, dayText));
        }
        else
        {
            var single = t.U.Range is null && !words.Any(Onwards.Contains);
            lines.Add(StaffTexts.Blocked(t.Lang, dayText, GuidedTexts.Time(t.Lang, start.Value), single ? null : GuidedTexts.Time(t.Lang, end!.Value)));
            if (single && end < dayEnd)
            {
                state.Step = BlockMore;
                state.Date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                state.RestFrom = end!.Value.ToString("HH:mm", CultureInfo.InvariantCulture);
                lines.Add(StaffTexts.AskBlockRest(t.Lang, GuidedTexts.Time(t.Lang, end.Value)));
            }
        }

        if (result.Value.Affected.Count > 0)
        {
            lines.Insert(1, StaffTexts.StillBooked(t.Lang, await DescribeAsync(result.Value.Affected, t, ct)));
        }

        t.Reply.Text(string.Join("\n", lines));
    }

    private async Task BlockRestAsync(StaffState state, Turn t, bool yes, LocalDate day, LocalTime from, CancellationToken ct)
    {
        state.Step = null;
        var fromText = GuidedTexts.Time(t.Lang, from);
        if (!yes)
        {
            t.Reply.Text(StaffTexts.BlockOnly(t.Lang, GuidedTexts.Time(t.Lang, from.PlusHours(-1))));
            return;
        }

        var working = await WorkingAsync(t.Member.Id, day, ct);
        var end = working.Count > 0 && working[^1].End > from ? working[^1].End : new LocalTime(23, 59);
        var result = await booking.BlockTimeAsync(t.Member.Id, day, from, end, null, Actor(t.Member), ct);
        if (result.Error is { } error)
        {
            t.Reply.Text(StaffTexts.Failed(t.Lang, error.Message));
            return;
        }

        var reply = StaffTexts.BlockedRest(t.Lang, fromText);
        if (result.Value.Affected.Count > 0)
        {
            reply += "\n" + StaffTexts.StillBooked(t.Lang, await DescribeAsync(result.Value.Affected, t, ct));
        }

        t.Reply.Text(reply);
    }

    /// <summary>What the block is for: the words after "para"/"for"/"kwa" ("para mi comida" → "mi comida").</summary>
    private static string? Note(string text)
    {
        foreach (var marker in new[] { " para ", " for ", " kwa ", " por " })
        {
            var at = text.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
            if (at >= 0)
            {
                var note = text[(at + marker.Length)..].Trim().TrimEnd('.', '!', '?');
                return note.Length is > 0 and <= 60 && !note.Any(char.IsDigit) ? note : null;
            }
        }

        return null;
    }

    private static LocalTime Min(LocalTime a, LocalTime b) => a < b ? a : b;

    private static LocalTime Hhmm(string s) => LocalTime.FromHourMinuteSecondTick(int.Parse(s[..2], CultureInfo.InvariantCulture), int.Parse(s[3..5], CultureInfo.InvariantCulture), 0, 0);

    // ---------------------------------------------------------------- no-show / completed

    /// <summary>"El de las 3 no llegó", "ya terminé con Juan": today's appointment meant, asked back before it changes.</summary>
    private async Task FindToMarkAsync(StaffState state, Turn t, CancellationToken ct)
    {
        var mayOthers = t.May("manage_appointments");
        var zone = tenant.Zone;
        var from = t.Today.AtStartOfDayInZone(zone).ToDateTimeUtc();
        var to = t.Today.PlusDays(1).AtStartOfDayInZone(zone).ToDateTimeUtc();
        var today = await db.Appointments.AsNoTracking()
            .Where(a => a.StartAt >= from && a.StartAt < to && (a.Status == AppointmentStatus.Confirmed || a.Status == AppointmentStatus.Pending))
            .OrderBy(a => a.StartAt).ToListAsync(ct);
        var own = today.Where(a => a.StaffId == t.Member.Id).ToList();
        var pool = own.Count > 0 || !mayOthers ? own : today;
        var customers = await db.Customers.AsNoTracking().Where(c => today.Select(a => a.CustomerId).Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);

        List<Appointment> matches;
        if (t.U.Time is { } at)
        {
            bool At(Appointment a) => Instant.FromDateTimeUtc(a.StartAt).InZone(zone).TimeOfDay == at;
            matches = pool.Where(At).ToList();
            if (matches.Count == 0 && mayOthers)
            {
                matches = today.Where(At).ToList();
            }

            if (matches.Count == 0 && today.Any(At))
            {
                t.Reply.Text(StaffTexts.NotAllowed(t.Lang));
                return;
            }
        }
        else
        {
            var words = Understand.Normalize(t.Text).Split(' ');
            matches = (mayOthers ? today : own).Where(a => customers.TryGetValue(a.CustomerId, out var c) && c.DisplayName is { } n
                && IsNamed(n, words)).ToList();
            if (matches.Count == 0)
            {
                // No time, no name: the ones whose time has come.
                matches = pool.Where(a => Instant.FromDateTimeUtc(a.StartAt) <= t.Now).TakeLast(3).ToList();
            }
        }

        if (matches.Count == 0)
        {
            t.Reply.Text(StaffTexts.NoSuchAppointment(t.Lang, t.U.Time is { } time ? GuidedTexts.Time(t.Lang, time) : null));
            return;
        }

        if (matches.Count == 1)
        {
            var a = matches[0];
            state.Step = MarkConfirm;
            state.AppointmentId = a.Id;
            var service = await db.Services.AsNoTracking().Where(s => s.Id == a.ServiceId).Select(s => s.Name).FirstAsync(ct);
            t.Reply.Buttons(
                StaffTexts.ConfirmMark(t.Lang, Who(customers.GetValueOrDefault(a.CustomerId)), GuidedTexts.Time(t.Lang, Instant.FromDateTimeUtc(a.StartAt).InZone(zone).TimeOfDay), service),
                GuidedReply.YesNo(t.Lang));
            return;
        }

        state.Step = MarkPick;
        state.Candidates = matches.Select(a => a.Id).ToList();
        var lines = await DescribeAsync(matches, t, ct);
        t.Reply.Text(StaffTexts.PickMark(t.Lang) + "\n" + string.Join("\n", lines.Select((l, i) => $"{i + 1}. {l.TrimStart('•', ' ')}")));
    }

    private async Task MarkAsync(StaffState state, Turn t, Guid appointmentId, CancellationToken ct)
    {
        state.Step = null;
        var appointment = await db.Appointments.AsNoTracking().FirstAsync(a => a.Id == appointmentId, ct);
        if (appointment.StaffId != t.Member.Id && !t.May("manage_appointments"))
        {
            t.Reply.Text(StaffTexts.NotAllowed(t.Lang));
            return;
        }

        if (Instant.FromDateTimeUtc(appointment.StartAt) > t.Now)
        {
            t.Reply.Text(StaffTexts.NotStartedYet(t.Lang));
            return;
        }

        var noShow = state.Mark == "no_show";
        var result = noShow ? await booking.NoShowAsync(appointmentId, Actor(t.Member), ct) : await booking.CompleteAsync(appointmentId, Actor(t.Member), ct);
        if (result.Error is not null)
        {
            t.Reply.Text(StaffTexts.AlreadyClosed(t.Lang));
            return;
        }

        var customer = await db.Customers.AsNoTracking().FirstAsync(c => c.Id == appointment.CustomerId, ct);
        if (!noShow)
        {
            t.Reply.Text(StaffTexts.MarkedCompleted(t.Lang, Who(customer)));
            return;
        }

        var offer = t.May("message_customers") || appointment.StaffId == t.Member.Id;
        if (offer)
        {
            state.Step = MessageOffer;
            state.CustomerId = customer.Id;
            t.Reply.Buttons(StaffTexts.MarkedNoShow(t.Lang, FirstName(customer), true), GuidedReply.YesNo(t.Lang));
        }
        else
        {
            t.Reply.Text(StaffTexts.MarkedNoShow(t.Lang, FirstName(customer), false));
        }
    }

    /// <summary>The kind note to a customer who missed today's appointment, on the channel they use with the business.</summary>
    private async Task MessageMissedCustomerAsync(Turn t, Guid customerId, CancellationToken ct)
    {
        var customer = await db.Customers.AsNoTracking().FirstAsync(c => c.Id == customerId, ct);
        var chat = await db.Conversations.Where(c => c.CustomerId == customerId).OrderByDescending(c => c.LastInboundAt).FirstOrDefaultAsync(ct);
        if (chat is null)
        {
            chat = new Conversation { CustomerId = customerId, Channel = t.Conversation.Channel, Address = customer.PhoneNumber };
            db.Conversations.Add(chat);
        }

        var windowOpen = chat.LastInboundAt is { } last && t.Now - Instant.FromDateTimeUtc(DateTime.SpecifyKind(last, DateTimeKind.Utc)) < Duration.FromHours(23);
        var sms = t.Organization.Settings.AllowSmsFallback
                  && await db.ChannelAccounts.AnyAsync(a => (a.Kind == ChannelKind.Africastalking || a.Kind == ChannelKind.Onfon) && a.IsActive, ct);
        if (chat.Channel == MessageChannel.Whatsapp && !windowOpen && !sms)
        {
            // WhatsApp would refuse free text here; saying "sent" would be a lie.
            t.Reply.Text(StaffTexts.CannotReach(t.Lang, FirstName(customer), Display(customer.PhoneNumber)));
            return;
        }

        var body = StaffTexts.MissedYou(GuidedTexts.FromLocale(t.Organization.Locale), customer.DisplayName?.Split(' ')[0], t.Organization.Name);
        Outbox.Queue(db, chat, body, MessagePurpose.System, sender: SenderType.Staff);
        t.Reply.Text(StaffTexts.MessageSent(t.Lang, body));
    }

    // ---------------------------------------------------------------- arrivals

    /// <summary>"Llegó Ana": today's appointment of that customer gets its check-in (a visit); a known customer without one, a plain visit.</summary>
    private async Task CheckInAsync(StaffState state, Turn t, string[] said, CancellationToken ct)
    {
        var zone = tenant.Zone;
        var from = t.Today.AtStartOfDayInZone(zone).ToDateTimeUtc();
        var to = t.Today.PlusDays(1).AtStartOfDayInZone(zone).ToDateTimeUtc();
        var today = await db.Appointments.AsNoTracking()
            .Where(a => a.StartAt >= from && a.StartAt < to && (a.Status == AppointmentStatus.Confirmed || a.Status == AppointmentStatus.Pending))
            .OrderBy(a => a.StartAt).ToListAsync(ct);
        var customerIds = today.Select(a => a.CustomerId).ToList();
        var names = await db.Customers.AsNoTracking().Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.DisplayName ?? "", ct);
        bool Named(string? name) => name is not null && IsNamed(name, said);
        var matches = today.Where(a => Named(names.GetValueOrDefault(a.CustomerId))).ToList();
        var own = matches.Where(a => a.StaffId == t.Member.Id).ToList();
        matches = own.Count > 0 ? own : matches;
        if (matches.Count == 1)
        {
            await RecordArrivalAsync(state, t, matches[0], ct);
            return;
        }

        if (matches.Count > 1)
        {
            state.Step = CheckInPick;
            state.Candidates = matches.Select(a => a.Id).ToList();
            var lines = await DescribeAsync(matches, t, ct);
            t.Reply.Text(StaffTexts.PickMark(t.Lang) + "\n" + string.Join("\n", lines.Select((l, i) => $"{i + 1}. {l.TrimStart('•', ' ')}")));
            return;
        }

        // No appointment today: a regular who dropped by, if the name points to exactly one customer.
        var words = said.Where(w => w.Length >= 3).ToList();
        var known = (await db.Customers.AsNoTracking().Where(c => c.DisplayName != null).ToListAsync(ct)).Where(c => Named(c.DisplayName)).Take(2).ToList();
        if (known.Count == 1 && words.Count > 0)
        {
            await Retention.Visits.RecordAsync(db, time, new Retention.VisitInput(known[0].Id, t.Now.ToDateTimeUtc(), Retention.VisitSource.CheckIn), ct);
            t.Reply.Text(StaffTexts.VisitRecorded(t.Lang, known[0].DisplayName!));
            return;
        }

        t.Reply.Text(StaffTexts.NotInAgenda(t.Lang));
    }

    private async Task RecordArrivalAsync(StaffState state, Turn t, Appointment appointment, CancellationToken ct)
    {
        state.Step = null;
        await Retention.Visits.RecordAsync(db, time, new Retention.VisitInput(
            appointment.CustomerId, t.Now.ToDateTimeUtc(), Retention.VisitSource.CheckIn, AppointmentId: appointment.Id, ServiceId: appointment.ServiceId), ct);
        var who = await db.Customers.AsNoTracking().Where(c => c.Id == appointment.CustomerId).Select(c => c.DisplayName ?? c.PhoneNumber).FirstAsync(ct);
        var service = await db.Services.AsNoTracking().Where(s => s.Id == appointment.ServiceId).Select(s => s.Name).FirstAsync(ct);
        t.Reply.Text(StaffTexts.Arrived(t.Lang, who, GuidedTexts.Time(t.Lang, Instant.FromDateTimeUtc(appointment.StartAt).InZone(tenant.Zone).TimeOfDay), service));
    }

    // ---------------------------------------------------------------- walk-ins

    /// <summary>"Acaba de llegar alguien para uñas": service, phone, name (each asked only when missing), then booked now with this staff member.</summary>
    private async Task WalkInAsync(StaffState state, Turn t, List<Services.Service> services, CancellationToken ct)
    {
        var offered = Offered(t.Member, services);
        var matched = t.U.Services.Where(m => offered.Any(s => s.Id == m.Id)).ToList();
        state.Phone = Phone(t.U.Phone, out var phone) ? phone : null;
        state.Name = t.U.Name;
        if (matched.Count == 1 || (matched.Count > 1 && matched[0].Score > matched[1].Score))
        {
            state.ServiceId = matched[0].Id;
            await WalkInNextAsync(state, t, ct);
            return;
        }

        var choices = matched.Count > 1 ? offered.Where(s => matched.Any(m => m.Id == s.Id)).ToList() : offered;
        state.Step = WalkInService;
        t.Reply.Text(StaffTexts.WalkInService(t.Lang, choices.Select((s, i) =>
            $"{i + 1}. {s.Name} - {GuidedTexts.Money(s.PriceCents, s.Currency)} ({s.DurationMinutes} min)")));
        state.ServiceChoices = choices.Select(s => s.Id).ToList();
    }

    private async Task WalkInNextAsync(StaffState state, Turn t, CancellationToken ct)
    {
        if (state.Phone is null)
        {
            state.Step = WalkInPhone;
            t.Reply.Text(StaffTexts.WalkInPhone(t.Lang));
            return;
        }

        var known = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.PhoneNumber == state.Phone, ct);
        state.Name ??= known?.DisplayName;
        if (state.Name is null)
        {
            state.Step = WalkInName;
            t.Reply.Text(StaffTexts.WalkInName(t.Lang));
            return;
        }

        state.Step = null;
        var service = await db.Services.AsNoTracking().FirstAsync(s => s.Id == state.ServiceId, ct);
        var result = await booking.WalkInAsync(service.Id, t.Member.Id, known?.Id, state.Phone, state.Name, Actor(t.Member), ct);
        if (result.Error is { } error)
        {
            t.Reply.Text(error.Status == 409 ? StaffTexts.WalkInClash(t.Lang) : StaffTexts.Failed(t.Lang, error.Message));
            return;
        }

        var start = Instant.FromDateTimeUtc(result.Value!.StartAt);

        t.Reply.Text(StaffTexts.WalkInBooked(t.Lang, state.Name, Display(state.Phone), service.Name, GuidedTexts.Time(t.Lang, start.InZone(tenant.Zone).TimeOfDay)));
    }

    /// <summary>The services this staff member offers (all when none are set); the walk-in is booked with them.</summary>
    private static List<Services.Service> Offered(StaffMember member, List<Services.Service> services) =>
        member.ServiceIds is { Count: > 0 } ids ? services.Where(s => ids.Contains(s.Id)).ToList() : services;

    // ---------------------------------------------------------------- customer history

    private async Task HistoryAsync(StaffState state, Turn t, CancellationToken ct)
    {
        if (!Phone(t.U.Phone, out var phone))
        {
            if (state.Step == HistoryPhone && t.U.Phone is not null)
            {
                t.Reply.Text(StaffTexts.BadPhone(t.Lang));
                return;
            }

            state.Step = HistoryPhone;
            t.Reply.Text(StaffTexts.AskHistoryPhone(t.Lang));
            return;
        }

        state.Step = null;
        var customer = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.PhoneNumber == phone, ct);
        if (customer is null)
        {
            t.Reply.Text(StaffTexts.UnknownCustomer(t.Lang, Display(phone)));
            return;
        }

        var staffId = t.Member.Id;
        var mayAll = t.May("manage_customers") || t.May("view_all_schedules");
        if (!mayAll && !await db.Appointments.AnyAsync(a => a.CustomerId == customer.Id && a.StaffId == staffId, ct))
        {
            t.Reply.Text(StaffTexts.NotAllowed(t.Lang));
            return;
        }

        var zone = tenant.Zone;
        var now = t.Now.ToDateTimeUtc();
        var appointments = await db.Appointments.AsNoTracking().Where(a => a.CustomerId == customer.Id).OrderByDescending(a => a.StartAt).Take(20).ToListAsync(ct);
        var services = await db.Services.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        string Line(Appointment a)
        {
            var local = Instant.FromDateTimeUtc(a.StartAt).InZone(zone);
            return $"• {GuidedTexts.Day(t.Lang, local.Date, t.Today)} {GuidedTexts.Time(t.Lang, local.TimeOfDay)} {services.GetValueOrDefault(a.ServiceId)} ({StaffTexts.Status(t.Lang, a.Status)})";
        }

        var last = customer.LastVisitAt is { } lv ? GuidedTexts.Day(t.Lang, Instant.FromDateTimeUtc(DateTime.SpecifyKind(lv, DateTimeKind.Utc)).InZone(zone).Date, t.Today) : null;
        var currency = (await db.Organizations.AsNoTracking().SingleAsync(ct)).Currency;
        var lines = new List<string> { StaffTexts.History(t.Lang, $"{customer.DisplayName ?? Display(customer.PhoneNumber)} ({Display(customer.PhoneNumber)})", customer.VisitCount, last, GuidedTexts.Money(customer.TotalSpentCents, currency)) };
        var upcoming = appointments.Where(a => a.StartAt >= now && a.Status.IsActive()).OrderBy(a => a.StartAt).ToList();
        if (upcoming.Count > 0)
        {
            lines.Add(StaffTexts.Upcoming(t.Lang));
            lines.AddRange(upcoming.Select(Line));
        }

        var recent = appointments.Where(a => a.StartAt < now).Take(5).ToList();
        if (recent.Count > 0)
        {
            lines.Add(StaffTexts.Recent(t.Lang));
            lines.AddRange(recent.Select(Line));
        }

        if (customer.Notes is { Length: > 0 } notes)
        {
            lines.Add($"📝 {notes}");
        }

        t.Reply.Text(string.Join("\n", lines));
    }

    // ---------------------------------------------------------------- add staff (owner)

    private void StartAddStaff(StaffState state, Turn t)
    {
        if (!t.May("manage_staff"))
        {
            t.Reply.Text(StaffTexts.NotAllowed(t.Lang));
            return;
        }

        // "Agrega a Pedro Hernández, 55 1111 2222" carries what it can.
        state.Name = t.U.Name;
        state.Phone = Phone(t.U.Phone, out var phone) ? phone : null;
        state.Step = state.Name is null ? AddName : AddPhone;
        t.Reply.Text(state.Name is null ? StaffTexts.AskStaffName(t.Lang) : StaffTexts.AskStaffPhone(t.Lang));
    }

    private async Task AddStaffPhoneAsync(StaffState state, Turn t, List<Services.Service> services, CancellationToken ct)
    {
        if (!Phone(t.U.Phone ?? t.Text, out var phone))
        {
            t.Reply.Text(StaffTexts.BadPhone(t.Lang));
            return;
        }

        if (await db.Staff.AsNoTracking().FirstOrDefaultAsync(s => s.PhoneNumber == phone, ct) is { } existing)
        {
            t.Reply.Text(StaffTexts.StaffExists(t.Lang, existing.Name));
            return;
        }

        state.Phone = phone;
        state.Step = AddServices;
        state.ServiceChoices = services.Select(s => s.Id).ToList();
        t.Reply.Text(StaffTexts.AskStaffServices(t.Lang, state.Name!.Split(' ')[0], services.Select((s, i) => $"{i + 1}. {s.Name}")));
    }

    private async Task AddStaffServicesAsync(StaffState state, Turn t, List<Services.Service> services, CancellationToken ct)
    {
        var words = Understand.Normalize(t.Text).Split(' ');
        List<Guid>? chosen;
        if (words.Any(Everything.Contains))
        {
            chosen = null;
        }
        else
        {
            var numbers = words.Select(w => int.TryParse(w, CultureInfo.InvariantCulture, out var n) ? n : 0)
                .Where(n => n >= 1 && n <= state.ServiceChoices.Count).Select(n => state.ServiceChoices[n - 1]);
            chosen = numbers.Concat(t.U.Services.Select(m => m.Id)).Distinct().Where(id => services.Any(s => s.Id == id)).ToList();
            if (chosen.Count == 0)
            {
                t.Reply.Text(StaffTexts.AskStaffServices(t.Lang, state.Name!.Split(' ')[0],
                    state.ServiceChoices.Select((id, i) => $"{i + 1}. {services.FirstOrDefault(s => s.Id == id)?.Name}")));
                return;
            }
        }

        if (await db.Staff.AnyAsync(s => s.PhoneNumber == state.Phone, ct))
        {
            state.Step = null;
            t.Reply.Text(StaffTexts.StaffExists(t.Lang, state.Name!));
            return;
        }

        var member = new StaffMember { Name = state.Name!, PhoneNumber = state.Phone!, Role = StaffRole.Employee, ServiceIds = chosen };
        db.Staff.Add(member);
        db.Audit(Actor(t.Member), "staff.created", "staff", member.Id);
        await db.SaveChangesAsync(ct);
        state.Step = AddWelcome;
        state.NewStaffId = member.Id;
        t.Reply.Buttons(StaffTexts.StaffAdded(t.Lang, member.Name, Display(member.PhoneNumber), member.Name.Split(' ')[0]), GuidedReply.YesNo(t.Lang));
    }

    /// <summary>
    /// The welcome goes out where the business can write first: SMS and the simulator at once; on WhatsApp a
    /// new number has no open window and no approved template for this, so the new person says hello first.
    /// </summary>
    private async Task WelcomeAsync(Turn t, Guid newStaffId, bool yes, CancellationToken ct)
    {
        var member = await db.Staff.AsNoTracking().FirstAsync(s => s.Id == newStaffId, ct);
        var first = member.Name.Split(' ')[0];
        if (!yes)
        {
            t.Reply.Text(StaffTexts.NoWelcome(t.Lang, first));
            return;
        }

        var channel = t.Conversation.Channel;
        var chat = await db.Conversations.FirstOrDefaultAsync(c => c.StaffId == newStaffId && c.Channel == channel, ct);
        var windowOpen = chat?.LastInboundAt is { } last && t.Now - Instant.FromDateTimeUtc(DateTime.SpecifyKind(last, DateTimeKind.Utc)) < Duration.FromHours(23);
        if (channel == MessageChannel.Whatsapp && !windowOpen)
        {
            t.Reply.Text(StaffTexts.WelcomeLater(t.Lang, first));
            return;
        }

        if (chat is null)
        {
            chat = new Conversation { StaffId = newStaffId, Channel = channel, Address = member.PhoneNumber };
            db.Conversations.Add(chat);
        }

        Outbox.Queue(db, chat, StaffTexts.StaffWelcome(GuidedTexts.FromLocale(t.Organization.Locale), first, t.Organization.Name), MessagePurpose.System, sender: SenderType.System);
        t.Reply.Text(StaffTexts.WelcomeSent(t.Lang));
    }

    // ---------------------------------------------------------------- helpers

    private async Task<List<string>> DescribeAsync(List<Appointment> appointments, Turn t, CancellationToken ct)
    {
        var names = await NamesAsync(appointments, ct);
        return appointments.Select(a =>
        {
            var local = Instant.FromDateTimeUtc(a.StartAt).InZone(tenant.Zone);
            var day = local.Date == t.Today ? "" : GuidedTexts.Day(t.Lang, local.Date, t.Today) + " ";
            return $"• {day}{GuidedTexts.Time(t.Lang, local.TimeOfDay)} {names.Services.GetValueOrDefault(a.ServiceId)} — {names.Customers.GetValueOrDefault(a.CustomerId)}"
                   + (a.StaffId == t.Member.Id ? "" : $" ({names.Staff.GetValueOrDefault(a.StaffId)})");
        }).ToList();
    }

    private bool Phone(string? typed, out string e164)
    {
        e164 = "";
        if (typed is null || !PhoneNumbers.TryNormalize(typed.Trim(), tenant.CountryCode, out var normalized, out _))
        {
            return false;
        }

        e164 = normalized;
        return true;
    }

    /// <summary>"+525598765432" → "55 9876 5432" for the business's own country; other numbers as stored.</summary>
    private string Display(string e164)
    {
        var prefix = tenant.CountryCode switch { "MX" => "+52", "KE" => "+254", _ => null };
        if (prefix is null || !e164.StartsWith(prefix, StringComparison.Ordinal))
        {
            return e164;
        }

        var national = e164[prefix.Length..];
        return prefix == "+52" && national.Length == 10
            ? $"{national[..2]} {national[2..6]} {national[6..]}"
            : national.Length == 9 ? $"0{national[..3]} {national[3..6]} {national[6..]}" : e164;
    }

    /// <summary>Whether the words of a message name this person ("Juan" in "ya terminé con Juan"): any name part of 3+ letters.</summary>
    private static bool IsNamed(string name, string[] words) =>
        Understand.Normalize(name).Split(' ').Any(part => part.Length >= 3 && words.Contains(part));

    private static string Who(Customer? customer) => customer?.DisplayName ?? customer?.PhoneNumber ?? "?";

    private static string FirstName(Customer customer) => customer.DisplayName?.Split(' ')[0] ?? customer.PhoneNumber;

    private static string Actor(StaffMember member) => $"staff:{member.Id}";
}
