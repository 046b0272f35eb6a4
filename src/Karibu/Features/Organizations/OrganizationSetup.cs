using System.Text.Json;
using System.Text.Json.Nodes;
using Karibu.Common;
using Karibu.Data;
using Karibu.Features.Assistant;
using Karibu.Hosting;
using NodaTime;

namespace Karibu.Features.Organizations;

/// <summary>
/// Creating a business: the organization, its primary location with business hours and its first
/// API key, in one save. The admin API and the demo seed both go through here.
/// </summary>
internal static class OrganizationSetup
{
    public sealed record Validated(
        string Name, BusinessType BusinessType, string TimeZone, string Locale, string Currency, string CountryCode,
        string? PhoneNumber, BusinessHours BusinessHours, OrganizationSettings Settings);

    public static Validated? Validate(CreateOrganizationRequest request, Validation v)
    {
        var name = v.Text("name", request.Name, required: true);
        var type = v.Enum<BusinessType>("business_type", request.BusinessType, required: true);
        var zone = Reference.TimeZone("timezone", request.Timezone, required: true, v);
        var locale = Reference.Locale("locale", request.Locale, required: true, v);
        var currency = Reference.Currency("currency", request.Currency, required: true, v);
        var country = Reference.Country("country_code", request.CountryCode, required: true, v);
        var phone = request.PhoneNumber is null || country is null ? null : v.Phone("phone_number", request.PhoneNumber, country, required: false);
        var hours = request.BusinessHours is null ? BusinessHours.Default() : BusinessHours.Parse(request.BusinessHours, "business_hours", v);
        var settings = MergeSettings(new OrganizationSettings(), request.Settings, v);
        if (!v.IsValid)
        {
            return null;
        }

        return new Validated(name!, type!.Value, zone!, locale!, currency!, country!, phone, hours!, settings!);
    }

    /// <summary>Adds the organization (with a free slug), its primary location and its first API key; the caller saves.</summary>
    public static async Task<(Organization Organization, string ApiKey)> AddAsync(
        KaribuDb db, TenantContext tenant, Validated input, string actor, CancellationToken ct = default)
    {
        var organization = new Organization
        {
            Name = input.Name,
            Slug = await OrganizationSlugs.FreeAsync(db, input.Name, ct),
            BusinessType = input.BusinessType,
            TimeZone = input.TimeZone,
            Locale = input.Locale,
            Currency = input.Currency,
            CountryCode = input.CountryCode,
            PhoneNumber = input.PhoneNumber,
            Settings = input.Settings,
        };
        tenant.Set(organization.Id, DateTimeZoneProviders.Tzdb[input.TimeZone], input.CountryCode, input.Currency);
        db.Organizations.Add(organization);
        db.Locations.Add(new Location { Name = input.Name, IsPrimary = true, BusinessHours = input.BusinessHours });

        var (key, prefix, hash) = ApiKeys.Generate();
        var apiKey = new ApiKey { Name = "Default", Prefix = prefix, KeyHash = hash };
        db.ApiKeys.Add(apiKey);
        db.Audit(actor, "organization.created", "organization", organization.Id);
        db.Audit(actor, "api_key.created", "api_key", apiKey.Id);
        return (organization, key);
    }

    /// <summary>Applies the fields a request names on top of the current settings, then checks the whole.</summary>
    public static OrganizationSettings? MergeSettings(OrganizationSettings current, JsonObject? patch, Validation v)
    {
        if (patch is null)
        {
            return current;
        }

        try
        {
            // A JsonObject read from a request builds its dictionary on first use and throws there when a name repeats.
            _ = patch.Count;
        }
        catch (ArgumentException)
        {
            v.Add("settings", "A setting is given more than once.");
            return null;
        }

        foreach (var (name, _) in patch)
        {
            if (!SettingNames.Contains(name))
            {
                v.Add($"settings.{name}", "Unknown setting.");
            }
        }

        if (!v.IsValid)
        {
            return null;
        }

        var merged = JsonSerializer.SerializeToNode(current, JsonColumn.Options)!.AsObject();
        foreach (var (name, value) in patch)
        {
            merged[name] = value?.DeepClone();
        }

        OrganizationSettings? settings;
        try
        {
            settings = merged.Deserialize<OrganizationSettings>(JsonColumn.Options);
        }
        catch (JsonException e)
        {
            v.Add(e.Path is { Length: > 2 } path ? $"settings.{path[2..]}" : "settings", "Has the wrong type or format for this setting.");
            return null;
        }

        if (settings is null)
        {
            v.Add("settings", "Must be an object.");
            return null;
        }

        if (settings.AssistantEngine is not (null or "guided" or "llm"))
        {
            v.Add("settings.assistant_engine", "Must be 'guided', 'llm' or null.");
        }

        if (settings.AssistantTone is not (AssistantTones.Friendly or AssistantTones.Formal))
        {
            v.Add("settings.assistant_tone", "Must be 'friendly' or 'formal'.");
        }

        settings.AssistantInstructions = string.IsNullOrWhiteSpace(settings.AssistantInstructions) ? null : settings.AssistantInstructions.Trim();
        if (settings.AssistantInstructions is { Length: > AssistantTones.MaxInstructions })
        {
            v.Add("settings.assistant_instructions", "Must be at most 1000 characters.");
        }

        v.Range("settings.slot_interval_minutes", settings.SlotIntervalMinutes, 5, 240);
        v.Range("settings.min_booking_notice_minutes", settings.MinBookingNoticeMinutes, 0, 7 * 24 * 60);
        v.Range("settings.max_booking_days_ahead", settings.MaxBookingDaysAhead, 1, 366);
        v.Range("settings.reminder_hours_before", settings.ReminderHoursBefore, 1, 168);
        v.Range("settings.cancellation_notice_hours", settings.CancellationNoticeHours, 0, 168);
        if (settings.SecondReminderHoursBefore is { } second)
        {
            v.Range("settings.second_reminder_hours_before", second, 1, settings.ReminderHoursBefore - 1);
        }

        if (settings.DailyAgendaTime is not null)
        {
            TimeOfDay.Parse(settings.DailyAgendaTime, "settings.daily_agenda_time", v);
        }

        if (settings.ReviewLink is { } link && (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || link.Length > 500))
        {
            v.Add("settings.review_link", "Must be an http(s) link of at most 500 characters.");
        }
        v.Range("settings.default_contact_cadence_days", settings.DefaultContactCadenceDays, 1, 365);
        v.Range("settings.marketing_cap_days", settings.MarketingCapDays, 1, 365);
        TimeOfDay.Parse(settings.QuietHoursStart, "settings.quiet_hours_start", v);
        TimeOfDay.Parse(settings.QuietHoursEnd, "settings.quiet_hours_end", v);
        return v.IsValid ? settings : null;
    }

    private static readonly HashSet<string> SettingNames =
        typeof(OrganizationSettings).GetProperties().Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)).ToHashSet(StringComparer.Ordinal);
}
