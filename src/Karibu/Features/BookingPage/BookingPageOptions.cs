using System.ComponentModel.DataAnnotations;

namespace Karibu.Features.BookingPage;

/// <summary>The <c>Karibu:BookingPage</c> section: how much one person may book through the public page.</summary>
internal sealed class BookingPageOptions
{
    public const string SectionName = "Karibu:BookingPage";

    /// <summary>Bookings one phone number may make through the page in 24 hours, per business.</summary>
    [Range(1, 1000)]
    public int MaxBookingsPerPhonePerDay { get; set; } = 3;

    /// <summary>Bookings one IP address may make through the page in an hour (counted on each instance).</summary>
    [Range(1, 10_000)]
    public int MaxBookingsPerIpPerHour { get; set; } = 10;
}
