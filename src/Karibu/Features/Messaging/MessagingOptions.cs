using System.ComponentModel.DataAnnotations;

namespace Karibu.Features.Messaging;

/// <summary>The <c>Karibu:Messaging</c> section: workers, retries, send rates and opt-out keywords.</summary>
internal sealed class MessagingOptions : IValidatableObject
{
    public const string SectionName = "Karibu:Messaging";

    /// <summary>Run the inbox processor and the outbox dispatcher on this node (false: web only).</summary>
    public bool RunWorkers { get; set; } = true;

    /// <summary>How often idle workers look for work another node stored; local writes wake them at once.</summary>
    [Range(10, 60_000)]
    public int PollMilliseconds { get; set; } = 1000;

    /// <summary>How long a claimed event or message stays with one worker before another may take it over.</summary>
    [Range(5, 3600)]
    public int LeaseSeconds { get; set; } = 60;

    [Range(1, 50)]
    public int MaxInboxAttempts { get; set; } = 8;

    [Range(1, 50)]
    public int MaxSendAttempts { get; set; } = 8;

    /// <summary>First retry delay; doubles each attempt (with jitter) up to <see cref="RetryMaxSeconds"/>.</summary>
    [Range(0.01, 3600)]
    public double RetryBaseSeconds { get; set; } = 2;

    [Range(0.01, 86_400)]
    public double RetryMaxSeconds { get; set; } = 300;

    /// <summary>WhatsApp's default throughput per business number (80/s; Coexistence numbers 20/s, set per account).</summary>
    [Range(1, 1000)]
    public int WhatsAppMessagesPerSecond { get; set; } = 80;

    /// <summary>Least time between two messages to one recipient (WhatsApp's pair limit is about one per 6 s on average).</summary>
    [Range(0, 60_000)]
    public int RecipientIntervalMilliseconds { get; set; } = 1000;

    /// <summary>Free-form WhatsApp text stops this long before the 24-hour window closes.</summary>
    [Range(0, 600)]
    public int WindowSafetyMinutes { get; set; } = 10;

    /// <summary>Whole-message keywords (any case, accents ignored) that opt a customer out, by language.</summary>
    public Dictionary<string, List<string>> OptOutKeywords { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Keywords that opt a customer back in, by language.</summary>
    public Dictionary<string, List<string>> OptInKeywords { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public static readonly Dictionary<string, string[]> DefaultOptOut = new(StringComparer.OrdinalIgnoreCase)
    {
        ["es"] = ["BAJA", "ALTO", "CANCELAR SUSCRIPCION", "DETENER", "STOP"],
        ["en"] = ["STOP", "UNSUBSCRIBE", "STOPALL", "END", "QUIT"],
        ["sw"] = ["ACHA", "SITAKI", "SIMAMISHA", "STOP"],
    };

    public static readonly Dictionary<string, string[]> DefaultOptIn = new(StringComparer.OrdinalIgnoreCase)
    {
        ["es"] = ["ALTA", "START", "SUSCRIBIR"],
        ["en"] = ["START", "SUBSCRIBE", "UNSTOP"],
        ["sw"] = ["ANZA", "START"],
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RetryMaxSeconds < RetryBaseSeconds)
        {
            yield return new ValidationResult("Karibu:Messaging:RetryMaxSeconds must not be below RetryBaseSeconds.");
        }

        foreach (var (language, words) in OptOutKeywords.Concat(OptInKeywords))
        {
            if (words.Any(string.IsNullOrWhiteSpace))
            {
                yield return new ValidationResult($"Karibu:Messaging opt-out/opt-in keywords for '{language}' must not be empty.");
            }
        }
    }
}
