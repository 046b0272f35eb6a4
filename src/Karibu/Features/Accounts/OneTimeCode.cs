using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Karibu.Data;
using Karibu.Features.Conversations;
using Karibu.Features.Notifications;
using Karibu.Features.Organizations;

namespace Karibu.Features.Accounts;

/// <summary>
/// Six-digit codes sent to a phone to prove it is in someone's hand: owners signing in, customers confirming a
/// booking from the public page. Only a hash bound to what the code is for (a staff member, an appointment) is
/// stored, so a code for one thing never opens another; comparison takes constant time.
/// </summary>
internal static class OneTimeCode
{
    public const int Length = 6;

    public static string New() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>SHA-256 of the subject and the code, lower-case hex (64 characters).</summary>
    public static string Hash(Guid subject, string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{subject:N}:{code}")));

    /// <summary>The digits of what was typed ("123 456" and "123-456" are "123456"); anything else is dropped.</summary>
    public static string Digits(string? typed) => new((typed ?? "").Where(char.IsAsciiDigit).ToArray());

    public static bool Matches(string storedHash, string hash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(storedHash), Encoding.ASCII.GetBytes(hash));

    /// <summary>
    /// Where a code goes: the business's WhatsApp or SMS, else the simulator in Development and for the demo
    /// business (the code is then printed in the log), else nowhere.
    /// </summary>
    public static async Task<MessageChannel?> ChannelAsync(KaribuDb db, Organization organization, IHostEnvironment environment, CancellationToken ct) =>
        await BookingNotices.ChannelAsync(db, ct)
        ?? (environment.IsDevelopment() || organization.IsDemo ? MessageChannel.Simulator : null);
}
