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
    private static byte[] s_last = new byte[16];

    public static Guid NewId()
    {
        var next = Guid.CreateVersion7().ToByteArray(bigEndian: true);
        lock (Gate)
        {
            if (next.AsSpan().SequenceCompareTo(s_last) <= 0)
            {
                next = (byte[])s_last.Clone();
                // Count up in the random tail (bytes 9-15), leaving version and variant bits alone.
                for (var i = 15; i >= 9 && ++next[i] == 0; i--)
                {
                }
            }

            s_last = next;
        }

        return new Guid(next, bigEndian: true);
    }
}
