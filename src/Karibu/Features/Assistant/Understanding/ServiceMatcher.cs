namespace Karibu.Features.Assistant.Understanding;

/// <summary>
/// Matches the text against the business's service names. Each service word counts as covered when a text word
/// equals it, is the same after dropping a plural -s/-es, or is within Damerau–Levenshtein distance 1 (words of
/// 5–7 letters) or 2 (8+ letters; words of 4 letters or fewer must be exact), or when the text names the same
/// concept through the synonym table (corte/pelo/haircut/kunyoa…, barba/beard/ndevu…, uñas/manicure/kucha…).
/// Score = average of recall (weighted share of the service's words covered; "de"/"y" weigh 0, generic words like
/// "arreglo" 0.3) and precision (share of the text's service-related words this service explains). An exact
/// service name in the text scores 1. Matches below <see cref="Threshold"/> are dropped; best first.
/// </summary>
internal static class ServiceMatcher
{
    public const double Threshold = 0.6;
    private const double ConceptQuality = 0.9;

    private static readonly string[][] Concepts =
    [
        ["corte", "pelo", "cabello", "haircut", "cut", "kunyoa", "kunyolewa", "nywele", "recorte", "peluqueado", "rapado"],
        ["barba", "beard", "ndevu", "afeitado", "afeitar", "rasurado", "rasurar", "shave", "bigote"],
        ["unas", "manicure", "manicura", "mani", "nails", "nail", "kucha", "pedicure", "pedicura", "pedi"],
        ["tinte", "color", "colour", "dye", "tenido", "tintura", "mechas", "highlights", "rangi", "decoloracion"],
        ["trenza", "braid", "kusuka", "rastas", "dreadlocks", "locs", "twists", "sukwa"],
        ["infantil", "nino", "kid", "child", "children", "mtoto", "watoto", "kids"],
        ["lavado", "wash", "shampoo", "kuosha"],
        ["ceja", "eyebrow", "brow", "nyusi"],
        ["facial", "mascarilla", "limpieza"],
        ["depilacion", "cera", "wax", "waxing"],
    ];

    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "de", "del", "y", "e", "con", "and", "with", "the", "la", "el", "para", "for", "ya", "na", "a", "of", "en", "los", "las",
    };

    private static readonly HashSet<string> Generic = new(StringComparer.Ordinal)
    {
        "arreglo", "servicio", "service", "completo", "clasico", "sencillo", "simple", "basico", "normal", "tradicional",
        "hombre", "dama", "caballero", "men", "women", "style", "estilo",
    };

    public static IReadOnlyList<ServiceMatch> Match(string[] text, IReadOnlyList<ServiceOption> services)
    {
        if (services.Count == 0 || text.Length == 0)
        {
            return [];
        }

        var words = text.Where(t => t.Length > 1 && !Ignored.Contains(t) && !char.IsDigit(t[0])).Distinct(StringComparer.Ordinal).Take(200).ToArray();
        var joined = " " + string.Join(' ', text) + " ";
        var textConcepts = new HashSet<int>();
        foreach (var word in words)
        {
            for (var c = 0; c < Concepts.Length; c++)
            {
                if (Concepts[c].Any(k => Similar(word, k) > 0))
                {
                    textConcepts.Add(c);
                }
            }
        }

        var results = new List<ServiceMatch>();
        var names = services.Select(s => Tokens(s.Name)).ToArray();
        var relevant = words.Where(word => textConcepts.Any(c => Concepts[c].Any(k => Similar(word, k) > 0))
            || names.Any(n => n.Any(t => !Ignored.Contains(t) && Similar(word, t) > 0))).ToArray();

        for (var s = 0; s < services.Count; s++)
        {
            var nameTokens = names[s];
            var phrase = string.Join(' ', nameTokens);
            if (phrase.Length > 0 && joined.Contains(" " + phrase + " ", StringComparison.Ordinal))
            {
                results.Add(new ServiceMatch(services[s].Id, services[s].Name, 1.0));
                continue;
            }

            double weight = 0, covered = 0;
            var serviceConcepts = new HashSet<int>();
            foreach (var token in nameTokens)
            {
                if (Ignored.Contains(token))
                {
                    continue;
                }

                var w = Generic.Contains(token) ? 0.3 : 1.0;
                weight += w;
                var best = words.Select(word => Similar(word, token)).DefaultIfEmpty(0).Max();
                for (var c = 0; c < Concepts.Length; c++)
                {
                    if (Concepts[c].Any(k => Similar(token, k) == 1.0))
                    {
                        serviceConcepts.Add(c);
                        if (textConcepts.Contains(c))
                        {
                            best = Math.Max(best, ConceptQuality);
                        }
                    }
                }

                covered += w * best;
            }

            if (weight == 0 || covered == 0)
            {
                continue;
            }

            var recall = covered / weight;
            var explained = relevant.Count(word =>
                nameTokens.Any(t => !Ignored.Contains(t) && Similar(word, t) > 0)
                || serviceConcepts.Any(c => Concepts[c].Any(k => Similar(word, k) > 0)));
            var precision = relevant.Length == 0 ? 0 : (double)explained / relevant.Length;
            var score = Math.Round((recall + precision) / 2, 3);
            if (score >= Threshold)
            {
                results.Add(new ServiceMatch(services[s].Id, services[s].Name, score));
            }
        }

        return [.. results.OrderByDescending(r => r.Score).ThenBy(r => r.Name.Length)];
    }

    public static bool IsConceptWord(string word) => Concepts.Any(c => c.Contains(word, StringComparer.Ordinal));

    private static string[] Tokens(string name) => Understand.Tokens(Understand.Normalize(name));

    /// <summary>1 for equal (or equal after plural stripping), 0.8 for a near miss, 0 otherwise.</summary>
    internal static double Similar(string word, string target)
    {
        if (word == target)
        {
            return 1.0;
        }

        foreach (var a in Singulars(word))
        {
            foreach (var b in Singulars(target))
            {
                if (a == b && a.Length >= 4)
                {
                    return 1.0;
                }
            }
        }

        var shortest = Math.Min(word.Length, target.Length);
        var allowed = shortest >= 8 ? 2 : shortest >= 5 ? 1 : 0;
        if (allowed == 0 || Math.Abs(word.Length - target.Length) > allowed)
        {
            return 0;
        }

        return Distance(word, target, allowed) <= allowed ? 0.8 : 0;
    }

    private static IEnumerable<string> Singulars(string word)
    {
        yield return word;
        if (word.Length > 3 && word.EndsWith('s'))
        {
            yield return word[..^1];
            if (word.Length > 4 && word.EndsWith("es", StringComparison.Ordinal))
            {
                yield return word[..^2];
            }
        }
    }

    /// <summary>Optimal string alignment (Damerau–Levenshtein) distance, giving up above <paramref name="max"/>.</summary>
    internal static int Distance(string a, string b, int max)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            var rowMin = int.MaxValue;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }

                rowMin = Math.Min(rowMin, d[i, j]);
            }

            if (rowMin > max)
            {
                return max + 1;
            }
        }

        return d[a.Length, b.Length];
    }
}
