using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Karibu.Data;

/// <summary>Every stored row: a time-ordered UUIDv7 id and UTC timestamps stamped on save.</summary>
internal abstract class Entity
{
    public Guid Id { get; set; } = Ids.NewId();
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A row that belongs to one organization (tenant); filtered and stamped automatically.</summary>
internal interface ITenantOwned
{
    Guid OrganizationId { get; set; }
}

internal abstract class TenantEntity : Entity, ITenantOwned
{
    public Guid OrganizationId { get; set; }
}

/// <summary>
/// UUIDv7 ids that also increase within one millisecond in this process, so rows written together
/// (the messages of one webhook) keep their order when listed by id.
/// </summary>
internal static class Ids
{
    private static readonly Lock Gate = new();
    private static readonly byte[] s_last = new byte[16];

    // Random bytes drawn from the OS 4 KB at a time: one system call per ~400 ids instead of one each.
    private static readonly byte[] s_random = new byte[4096];
    private static int s_used = s_random.Length;

    public static Guid NewId()
    {
        Span<byte> next = stackalloc byte[16];
        var ms = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        lock (Gate)
        {
            if (s_used + 10 > s_random.Length)
            {
                RandomNumberGenerator.Fill(s_random);
                s_used = 0;
            }

            // RFC 9562 UUIDv7: 48-bit Unix milliseconds, version 7, 74 random bits with the variant 10.
            BinaryPrimitives.WriteInt64BigEndian(next, ms << 16);
            s_random.AsSpan(s_used, 10).CopyTo(next[6..]);
            s_used += 10;
            next[6] = (byte)(0x70 | (next[6] & 0x0F));
            next[8] = (byte)(0x80 | (next[8] & 0x3F));
            if (next.SequenceCompareTo(s_last) <= 0)
            {
                s_last.CopyTo(next);
                // Count up in the random tail (bytes 9-15), leaving version and variant bits alone.
                for (var i = 15; i >= 9 && ++next[i] == 0; i--)
                {
                }
            }

            next.CopyTo(s_last);
        }

        return new Guid(next, bigEndian: true);
    }
}
