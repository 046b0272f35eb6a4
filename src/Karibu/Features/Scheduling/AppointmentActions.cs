using Karibu.Data;
using Karibu.Web;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Karibu.Features.Scheduling;

/// <summary>What an action button posts: the verb and the appointment, as <c>complete:{id}</c>.</summary>
public sealed class ActForm
{
    public string? Do { get; set; }
}

/// <summary>
/// The one-tap actions on an appointment (arrived, done, no-show, confirm, cancel), shared by the Today list and
/// the appointment screen. Which buttons show follows the rules of <see cref="BookingService"/>; the service decides.
/// </summary>
internal static class AppointmentActions
{
    public const string FormName = "act";
    public const string CheckIn = "checkin";
    public const string Complete = "complete";
    public const string NoShow = "noshow";
    public const string Confirm = "confirm";
    public const string Cancel = "cancel";

    public static string Actor(OwnerSession session) => $"staff:{session.Member.Id}";

    public static bool Active(Appointment a) => a.Status.IsActive();

    public static bool MayConfirm(Appointment a) => a.Status == AppointmentStatus.Pending;

    public static bool MayCheckIn(Appointment a, OwnerSession session) =>
        Active(a) && a.CheckedInAt is null && Agenda.Local(a.StartAt, session.Zone).Date == session.Today;

    public static bool MayComplete(Appointment a, OwnerSession session) =>
        Active(a) && (a.CheckedInAt is not null || Started(a, session));

    public static bool MayNoShow(Appointment a, OwnerSession session) => Active(a) && a.CheckedInAt is null && Started(a, session);

    private static bool Started(Appointment a, OwnerSession session) =>
        Instant.FromDateTimeUtc(DateTime.SpecifyKind(a.StartAt, DateTimeKind.Utc)) <= session.Now.ToInstant();

    /// <summary>Runs the posted action; null when done, else what to tell the person (in their language).</summary>
    public static async Task<string?> RunAsync(string? command, BookingService booking, KaribuDb db, OwnerSession session, CancellationToken ct)
    {
        var parts = (command ?? "").Split(':', 2);
        if (parts.Length != 2 || !Guid.TryParse(parts[1], out var id))
        {
            return session.T("Elige qué hacer con la cita.", "Choose what to do with the appointment.", "Chagua la kufanya na miadi.");
        }

        var appointment = await db.Appointments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (appointment is null || !Agenda.MaySee(session, appointment))
        {
            return session.T("Esa cita ya no está en la agenda.", "That appointment is no longer in the agenda.", "Miadi hiyo haipo tena kwenye ratiba.");
        }

        if (!Agenda.MayAct(session, appointment))
        {
            return NotAllowed(session);
        }

        var actor = Actor(session);
        var result = parts[0] switch
        {
            CheckIn => await booking.CheckInAsync(id, actor, ct),
            Complete => await booking.CompleteAsync(id, actor, ct),
            NoShow => await booking.NoShowAsync(id, actor, ct),
            Confirm => await booking.ConfirmAsync(id, actor, ct),
            _ => (Scheduled<Appointment>?)null,
        };
        if (result is null)
        {
            return session.T("Elige qué hacer con la cita.", "Choose what to do with the appointment.", "Chagua la kufanya na miadi.");
        }

        return result.Value.Error is null ? null : await ExplainAsync(parts[0], id, db, session, ct);
    }

    public static string NotAllowed(OwnerSession session) => session.T(
        "Solo puedes cambiar tus propias citas. Pide al dueño el permiso de gestionar citas.",
        "You can only change your own appointments. Ask the owner for permission to manage appointments.",
        "Unaweza kubadilisha miadi yako tu. Omba mmiliki ruhusa ya kusimamia miadi.");

    /// <summary>Why the service said no, read from the appointment as it is now.</summary>
    public static async Task<string> ExplainAsync(string verb, Guid id, KaribuDb db, OwnerSession session, CancellationToken ct)
    {
        var a = await db.Appointments.AsNoTracking().FirstAsync(x => x.Id == id, ct);
        if (!Active(a))
        {
            var status = AgendaTexts.Status(session.Language, a).ToLowerInvariant();
            return session.T($"Esta cita ya está: {status}.", $"This appointment is already: {status}.", $"Miadi hii tayari: {status}.");
        }

        var start = Agenda.Local(a.StartAt, session.Zone);
        return verb switch
        {
            NoShow when a.CheckedInAt is not null => session.T(
                "Ya llegó, así que no se puede marcar que no vino.", "They arrived, so this can't be a no-show.", "Ameshafika, kwa hiyo hawezi kuwekwa kama hakuja."),
            CheckIn => session.T(
                "La llegada se marca el mismo día de la cita.", "Arrival is marked on the day of the appointment.", "Kufika huwekwa siku ya miadi."),
            Complete or NoShow when start > session.Now.LocalDateTime => session.T(
                $"Aún no empieza: podrás marcarla desde las {AgendaTexts.Time(session.Language, start.TimeOfDay)}.",
                $"It hasn't started yet: you can mark it from {AgendaTexts.Time(session.Language, start.TimeOfDay)}.",
                $"Bado haijaanza: utaweza kuiweka kuanzia {AgendaTexts.Time(session.Language, start.TimeOfDay)}."),
            _ => session.T(
                "Alguien cambió esta cita al mismo tiempo. Revisa y vuelve a intentar.",
                "Someone changed this appointment at the same time. Check and try again.",
                "Mtu amebadilisha miadi hii wakati huo huo. Angalia ujaribu tena."),
        };
    }
}
