using Karibu.Common;
using Karibu.Data;
using Karibu.Features.Accounts;
using Karibu.Features.Organizations;
using Karibu.Features.Services;
using Karibu.Features.Staff;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Features.Onboarding;

/// <summary>Where a new business is: its country, language, time zone and currency come together.</summary>
internal sealed record Market(string Code, string CountryCode, string Locale, string TimeZone, string Currency)
{
    public static readonly Market Mexico = new("mx", "MX", "es-MX", "America/Mexico_City", "MXN");
    public static readonly Market KenyaEnglish = new("ke-en", "KE", "en-KE", "Africa/Nairobi", "KES");
    public static readonly Market KenyaSwahili = new("ke-sw", "KE", "sw-KE", "Africa/Nairobi", "KES");

    public static readonly Market[] All = [Mexico, KenyaEnglish, KenyaSwahili];

    public static Market? Find(string? code) => All.FirstOrDefault(m => string.Equals(m.Code, code?.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>What someone starting a business tells us (already checked, phone in E.164, email lower-case).</summary>
internal sealed record NewBusinessInput(
    string BusinessName, BusinessType Type, Market Market, string OwnerName, string OwnerPhone, string? Email, string? Password);

/// <summary>
/// Self-service signup, on the web or by chat: the organization through <see cref="OrganizationSetup"/> (the admin
/// API's rules) and its owner through <see cref="StaffEndpoints.AddAsync"/>, added together so that one save makes both.
/// </summary>
internal static class NewBusiness
{
    public const string Actor = "signup";

    /// <summary>The business types people choose from when they sign up, in the order shown.</summary>
    public static readonly BusinessType[] Types = [BusinessType.Barbershop, BusinessType.BeautySalon, BusinessType.NailSalon, BusinessType.Spa, BusinessType.Other];

    /// <summary>The hours a new business starts with: Monday to Saturday, 9:00 to 19:00.</summary>
    public static Dictionary<string, List<OpenIntervalInput>?> DefaultHours() =>
        BusinessHours.DayKeys.ToDictionary(d => d, d => d == "sun" ? [] : (List<OpenIntervalInput>?)[new OpenIntervalInput("09:00", "19:00")], StringComparer.Ordinal);

    /// <summary>Whether a staff member anywhere already signs in with this email (lower-case).</summary>
    public static Task<bool> EmailTakenAsync(KaribuDb db, string email, CancellationToken ct) =>
        db.Staff.IgnoreQueryFilters(KaribuDb.TenantFilterOnly).AnyAsync(s => s.Email == email, ct);

    /// <summary>
    /// Adds the business (open Monday to Saturday, 9 to 19) and its owner (the caller saves once); with
    /// <paramref name="starterKit"/> also the template services, for someone who signs up by chat and has no wizard. Null with the reasons in
    /// <paramref name="v"/> (API field names: name, business_type, phone_number…).
    /// </summary>
    public static async Task<(Organization Organization, StaffMember Owner)?> AddAsync(
        KaribuDb db, TenantContext tenant, NewBusinessInput input, bool starterKit, Validation v, CancellationToken ct)
    {
        var request = new CreateOrganizationRequest(
            input.BusinessName, EnumNames.ToName(input.Type), input.Market.TimeZone, input.Market.Locale, input.Market.Currency,
            input.Market.CountryCode, input.OwnerPhone, DefaultHours(), Settings: null);
        if (OrganizationSetup.Validate(request, v) is not { } validated)
        {
            return null;
        }

        var (organization, _) = await OrganizationSetup.AddAsync(db, tenant, validated, Actor, ct);
        var (owner, failure) = await StaffEndpoints.AddAsync(db, tenant,
            new CreateStaffRequest(input.OwnerName, input.OwnerPhone, EnumNames.ToName(StaffRole.Owner), null, null, true), Actor, v, ct);
        if (failure != StaffEndpoints.AddFailure.None || owner is null)
        {
            return null;
        }

        owner.Email = input.Email;
        if (input.Password is not null)
        {
            owner.PasswordHash = SignInFlow.HashPassword(owner, input.Password);
        }

        if (starterKit)
        {
            foreach (var t in ServiceTemplates.For(input.Type, input.Market.CountryCode))
            {
                var service = ServiceEndpoints.New(new CreateServiceRequest(t.Name, null, t.Minutes, t.PriceCents, null, true, null, t.RebookDays), tenant, v);
                if (service is null)
                {
                    return null;
                }

                db.Services.Add(service);
            }
        }

        return (organization, owner);
    }
}
