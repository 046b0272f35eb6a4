using Karibu.Data;
using Karibu.Features.Assistant.Understanding;
using Karibu.Features.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Karibu.Features.Faq;

/// <summary>A question customers ask and the business's own answer; the assistant replies with it word for word.</summary>
internal sealed class FaqEntry : TenantEntity
{
    public required string Question { get; set; }
    public required string Answer { get; set; }
    public string? Category { get; set; }

    /// <summary>Higher first when two entries fit a message equally well.</summary>
    public int Priority { get; set; }

    public bool IsActive { get; set; } = true;
}

internal sealed class FaqEntryConfiguration : IEntityTypeConfiguration<FaqEntry>
{
    public void Configure(EntityTypeBuilder<FaqEntry> b)
    {
        b.ToTable("faq_entries");
        b.Property(f => f.Question).HasMaxLength(FaqMatcher.MaxQuestion);
        b.Property(f => f.Answer).HasMaxLength(FaqMatcher.MaxAnswer);
        b.Property(f => f.Category).HasMaxLength(Limits.Name);
        b.HasOne<Organization>().WithMany().HasForeignKey(f => f.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(f => new { f.OrganizationId, f.IsActive });
    }
}

/// <summary>
/// Which FAQ entry a customer's message asks, if any: the content words of the entry's question (accents, case,
/// punctuation and filler words ignored; one typo allowed in words of 5+ letters) that the message contains.
/// An entry fits when at least half of its content words, and at least one, appear; the best fit wins, then priority.
/// </summary>
internal static class FaqMatcher
{
    public const int MaxQuestion = 500;
    public const int MaxAnswer = 2000;

    private static readonly HashSet<string> Filler = new(StringComparer.Ordinal)
    {
        // Spanish
        "a", "al", "el", "la", "los", "las", "lo", "un", "una", "unos", "unas", "de", "del", "en", "y", "o", "que", "se", "es", "son",
        "con", "por", "para", "mi", "mis", "tu", "tus", "su", "sus", "me", "te", "le", "les", "hay", "si", "no", "como", "cual", "cuales",
        "donde", "cuando", "puedo", "puede", "pueden", "ustedes", "usted", "hola", "buenas", "buenos", "dias", "tardes", "oye", "favor",
        "quiero", "saber", "tienen", "tiene", "hacen", "hace", "algo", "esta", "estan", "ahi", "aqui", "muy", "mas",
        // English
        "the", "an", "and", "or", "of", "in", "on", "at", "to", "for", "with", "is", "are", "do", "does", "you", "your", "i", "my", "me",
        "can", "could", "there", "what", "which", "where", "when", "how", "any", "it", "have", "has", "hi", "hello", "please", "want", "know",
        // Swahili
        "na", "ya", "wa", "za", "kwa", "ni", "je", "mna", "mnaweza", "naweza", "habari", "tafadhali", "gani", "nini", "wapi", "lini",
    };

    public static IReadOnlyList<string> Words(string text) =>
        [.. Understand.Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !Filler.Contains(w)).Distinct()];

    public static FaqEntry? Best(string message, IEnumerable<FaqEntry> entries)
    {
        var said = Words(message);
        if (said.Count == 0)
        {
            return null;
        }

        FaqEntry? best = null;
        var bestScore = 0.0;
        foreach (var entry in entries.OrderByDescending(e => e.Priority))
        {
            var asked = Words(entry.Question);
            if (asked.Count == 0)
            {
                continue;
            }

            var hits = asked.Count(a => said.Any(s => Same(s, a)));
            var score = (double)hits / asked.Count;
            if (hits >= 1 && score >= 0.5 && score > bestScore)
            {
                (best, bestScore) = (entry, score);
            }
        }

        return best;
    }

    /// <summary>Equal, the same but for a plural "s"/"es", or (5+ letters) one typo apart.</summary>
    private static bool Same(string a, string b) =>
        a == b || a == b + "s" || b == a + "s" || a == b + "es" || b == a + "es"
        || (Math.Min(a.Length, b.Length) >= 5 && Math.Abs(a.Length - b.Length) <= 1 && ServiceMatcher.Distance(a, b, 1) <= 1);
}
