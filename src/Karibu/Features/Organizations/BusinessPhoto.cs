using System.Globalization;
using Karibu.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Karibu.Features.Organizations;

/// <summary>
/// The business's photo or logo, shown on its booking page: one per organization, in its own table so the
/// organizations row (read on every request) never carries the bytes.
/// </summary>
internal sealed class BusinessPhoto : ITenantOwned
{
    /// <summary>The key: one photo per business.</summary>
    public Guid OrganizationId { get; set; }

    /// <summary>image/jpeg, image/png or image/webp, as read from the bytes themselves.</summary>
    public required string ContentType { get; set; }

    public required byte[] Bytes { get; set; }

    /// <summary>Moves on with every upload; its ticks are the photo's version (the page's <c>?v=</c> and the ETag).</summary>
    public DateTime UpdatedAt { get; set; }
}

internal sealed class BusinessPhotoConfiguration : IEntityTypeConfiguration<BusinessPhoto>
{
    public void Configure(EntityTypeBuilder<BusinessPhoto> b)
    {
        b.ToTable("business_photos");
        b.HasKey(p => p.OrganizationId);
        b.Property(p => p.OrganizationId).ValueGeneratedNever();
        b.Property(p => p.ContentType).HasMaxLength(32);
        b.HasOne<Organization>().WithOne().HasForeignKey<BusinessPhoto>(p => p.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>What an uploaded photo turned out to be.</summary>
internal enum PhotoCheck { Accepted, Missing, TooLarge, NotAnImage }

/// <summary>Checking, saving, removing and naming the business photo: the owner app and the API both come here.</summary>
internal static class BusinessPhotos
{
    /// <summary>
    /// The largest photo kept: 128 KB. The owner app shrinks a picture to 512 px in the phone first (~50 KB); the
    /// booking page must stay under 150 KB on a first load, photo included, so a bigger file is refused, not stored.
    /// </summary>
    public const int MaxBytes = 128 * 1024;

    public const int MaxKilobytes = MaxBytes / 1024;

    /// <summary>The longest side the owner app's script shrinks a picture to before sending it.</summary>
    public const int MaxPixels = 512;

    /// <summary>JPEG, PNG or WebP, told by the file's first bytes (never by its name or declared type); null for anything else.</summary>
    public static string? Sniff(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF)
        {
            return "image/jpeg";
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }

        return bytes.Length >= 12 && bytes.StartsWith("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8) ? "image/webp" : null;
    }

    /// <summary>Reads at most one byte more than <see cref="MaxBytes"/>, so a larger upload is told apart without reading it all.</summary>
    public static async Task<byte[]> ReadAsync(Stream body, CancellationToken ct)
    {
        var buffer = new byte[MaxBytes + 1];
        var read = 0;
        while (read < buffer.Length && await body.ReadAsync(buffer.AsMemory(read), ct) is > 0 and var n)
        {
            read += n;
        }

        return buffer[..read];
    }

    /// <summary>Whether <paramref name="bytes"/> may become the photo, and its type when it may.</summary>
    public static (PhotoCheck Check, string? ContentType) Check(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return (PhotoCheck.Missing, null);
        }

        if (bytes.Length > MaxBytes)
        {
            return (PhotoCheck.TooLarge, null);
        }

        return Sniff(bytes) is { } type ? (PhotoCheck.Accepted, type) : (PhotoCheck.NotAnImage, null);
    }

    /// <summary>Stores a checked photo as the business's (replacing any), with its audit event; returns it as saved.</summary>
    public static async Task<BusinessPhoto> SaveAsync(KaribuDb db, TimeProvider time, string contentType, byte[] bytes, string actor, CancellationToken ct)
    {
        var organizationId = db.CurrentOrganizationId ?? throw new InvalidOperationException("No business is set.");
        var photo = await db.BusinessPhotos.FirstOrDefaultAsync(ct);
        // Whole microseconds (what PostgreSQL keeps), and always later than the last one, so the version changes with
        // every upload even when the clock has not moved.
        var now = time.GetUtcNow().UtcDateTime;
        now = now.AddTicks(-(now.Ticks % 10));
        if (photo is null)
        {
            photo = new BusinessPhoto { OrganizationId = organizationId, ContentType = contentType, Bytes = bytes, UpdatedAt = now };
            db.BusinessPhotos.Add(photo);
        }
        else
        {
            photo.ContentType = contentType;
            photo.Bytes = bytes;
            photo.UpdatedAt = now > photo.UpdatedAt ? now : photo.UpdatedAt.AddTicks(10);
        }

        db.Audit(actor, "business_photo.updated", "organization", organizationId);
        await db.SaveChangesAsync(ct);
        return photo;
    }

    /// <summary>Removes the business's photo (none is fine), with its audit event; true when there was one.</summary>
    public static async Task<bool> RemoveAsync(KaribuDb db, string actor, CancellationToken ct)
    {
        var organizationId = db.CurrentOrganizationId ?? throw new InvalidOperationException("No business is set.");
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await db.BusinessPhotos.Where(p => p.OrganizationId == organizationId).ExecuteDeleteAsync(ct) == 0)
        {
            return false;
        }

        db.Audit(actor, "business_photo.removed", "organization", organizationId);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>The current photo's version (its update time in ticks), or null when the business has none.</summary>
    public static async Task<long?> VersionAsync(KaribuDb db, CancellationToken ct) =>
        await db.BusinessPhotos.Select(p => (DateTime?)p.UpdatedAt).FirstOrDefaultAsync(ct) is { } at ? at.Ticks : null;

    /// <summary>Where the booking page serves the photo; the version makes each new photo a new address.</summary>
    public static string Path(string slug, long version) => $"/b/{slug}/photo?v={version.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>What stands in for a missing photo: up to two initials of the name ("Barbería El Bigote" → "BE").</summary>
    public static string Initials(string name)
    {
        var letters = name.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(w => StringInfo.GetNextTextElementLength(w) is var n && n > 0 && char.IsLetterOrDigit(w, 0) ? w[..n] : null)
            .OfType<string>()
            .Take(2)
            .Select(l => l.ToUpperInvariant());
        return string.Concat(letters) is { Length: > 0 } initials ? initials : "·";
    }

    /// <summary>One of six circle colours (CSS class <c>avatar-0</c> … <c>avatar-5</c>), always the same for a name.</summary>
    public static string Colour(string name)
    {
        var sum = 0;
        foreach (var c in name)
        {
            sum = unchecked((sum * 31) + c);
        }

        return $"avatar-{(sum & int.MaxValue) % 6}";
    }
}
