using System.Text.RegularExpressions;
using Karibu.Data;
using Karibu.Features.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Karibu.Features.Notifications;

/// <summary>What a notification is for; each has default wording in es-MX, en and sw that a business may override.</summary>
internal enum TemplatePurpose
{
    BookingConfirmed,
    BookingChanged,
    BookingCancelled,
    StaffNewBooking,
    StaffBookingChanged,
    StaffBookingCancelled,
    Reminder,
    DailyAgenda,
    ReviewRequest,
    WinBack,
    SignInCode,
    BookingToConfirm,
    BookingCode,
}

/// <summary>
/// A business's own wording for one purpose, channel and language. The body uses <c>{placeholders}</c>;
/// on WhatsApp outside the 24-hour window the message goes as the approved template named here, its
/// body parameters filled from <see cref="WhatsAppParameters"/> in order.
/// </summary>
internal sealed partial class MessageTemplate : TenantEntity
{
    public TemplatePurpose Purpose { get; set; }

    /// <summary><c>any</c>, <c>whatsapp</c> or <c>sms</c>.</summary>
    public string Channel { get; set; } = "any";

    /// <summary>Language code: <c>es</c>, <c>en</c> or <c>sw</c>.</summary>
    public required string Language { get; set; }

    public required string Body { get; set; }
    public string? WhatsAppTemplateName { get; set; }
    public string? WhatsAppLanguage { get; set; }
    public List<string> WhatsAppParameters { get; set; } = [];

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    public static partial Regex Placeholder();

    [GeneratedRegex(@"\{([a-z_]+)\}(\.)?")]
    public static partial Regex PlaceholderAndStop();
}

internal sealed class MessageTemplateConfiguration : IEntityTypeConfiguration<MessageTemplate>
{
    public void Configure(EntityTypeBuilder<MessageTemplate> b)
    {
        b.ToTable("message_templates");
        b.Property(t => t.Purpose).HasMaxLength(32);
        b.Property(t => t.Channel).HasMaxLength(16);
        b.Property(t => t.Language).HasMaxLength(8);
        b.Property(t => t.Body).HasMaxLength(TemplateDefaults.MaxBody);
        b.Property(t => t.WhatsAppTemplateName).HasMaxLength(512);
        b.Property(t => t.WhatsAppLanguage).HasMaxLength(16);
        b.HasOne<Organization>().WithMany().HasForeignKey(t => t.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(t => new { t.OrganizationId, t.Purpose, t.Channel, t.Language }).IsUnique();
    }
}
