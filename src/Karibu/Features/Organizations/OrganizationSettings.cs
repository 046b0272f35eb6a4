using System.Text.Json.Serialization;
using Karibu.Features.Assistant;

namespace Karibu.Features.Organizations;

/// <summary>
/// Per-business knobs. Sent and returned as <c>settings</c>; a PATCH replaces only the fields it names.
/// Unknown fields are refused so a typo never silently does nothing.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class OrganizationSettings
{
    /// <summary><c>guided</c> or <c>llm</c>; null follows <c>Karibu:Assistant:Engine</c>.</summary>
    public string? AssistantEngine { get; set; }

    /// <summary>
    /// Whether the assistant answers customers. Off: each customer message waits in the inbox for a person ("needs a
    /// person"); answers to Karibu's own questions (a reminder's SÍ / CANCELAR) and staff's commands still work.
    /// </summary>
    public bool AssistantEnabled { get; set; } = true;

    /// <summary>
    /// <c>friendly</c> (warm, an emoji now and then) or <c>formal</c> (replies go without emoji; the LLM engine is also
    /// told to address customers formally, "usted").
    /// </summary>
    public string AssistantTone { get; set; } = AssistantTones.Friendly;

    /// <summary>The owner's own guidance for the LLM engine ("we only take cash", "ask for the car plate"), at most 1,000 characters.</summary>
    public string? AssistantInstructions { get; set; }

    /// <summary>Smallest step between offered start times.</summary>
    public int SlotIntervalMinutes { get; set; } = 15;

    /// <summary>How soon from now a customer may book.</summary>
    public int MinBookingNoticeMinutes { get; set; } = 60;

    /// <summary>How far ahead a customer may book.</summary>
    public int MaxBookingDaysAhead { get; set; } = 60;

    /// <summary>Hours before the appointment when the reminder goes out.</summary>
    public int ReminderHoursBefore { get; set; } = 24;

    /// <summary>An optional second reminder this many hours before (e.g. 2); null sends only the first.</summary>
    public int? SecondReminderHoursBefore { get; set; }

    /// <summary>When each staff member (and the owner) gets the day's agenda, local time; null turns it off.</summary>
    public string? DailyAgendaTime { get; set; } = "08:00";

    /// <summary>Where a review request after a completed appointment points; null sends none.</summary>
    public string? ReviewLink { get; set; }

    /// <summary>Whether a customer may cancel or move by chat, and how late.</summary>
    public int CancellationNoticeHours { get; set; } = 2;

    /// <summary>No marketing or non-urgent messages between these local times.</summary>
    public string QuietHoursStart { get; set; } = "20:00";

    public string QuietHoursEnd { get; set; } = "08:00";

    /// <summary>Send win-back messages by themselves (true) or only list who to contact (false).</summary>
    public bool WinBackAutomatic { get; set; }

    /// <summary>At most one marketing message (win-back, campaign) per customer in this many days.</summary>
    public int MarketingCapDays { get; set; } = 14;

    /// <summary>When WhatsApp's 24-hour window is closed and no template fits, fall back to SMS.</summary>
    public bool AllowSmsFallback { get; set; }

    /// <summary>New appointments booked by customers start confirmed (true) or pending approval (false).</summary>
    public bool AutoConfirmBookings { get; set; } = true;

    /// <summary>
    /// A booking from the public page stays pending until the customer answers SÍ to the message asking them (only
    /// when the business has WhatsApp or SMS to ask on); CANCELAR cancels it. Guards against bookings made with
    /// someone else's number.
    /// </summary>
    public bool ConfirmPageBookingsByReply { get; set; }

    /// <summary>
    /// A booking from the public page is held pending while the customer types the six-digit code sent to their
    /// phone (when the business has WhatsApp or SMS, or in Development the simulator); unconfirmed holds are
    /// released after 15 minutes. When both this and <see cref="ConfirmPageBookingsByReply"/> are on, the code wins.
    /// </summary>
    public bool ConfirmPageBookingsByCode { get; set; }

    /// <summary>Default days between visits before a customer counts as due for a win-back message.</summary>
    public int DefaultContactCadenceDays { get; set; } = 30;
}
