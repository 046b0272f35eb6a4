using Karibu.Data;
using Karibu.Features.Organizations;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Features.Onboarding;

internal enum WelcomeStep { Services, Hours, Staff, Channel, Share }

/// <summary>
/// How far a new business got through the welcome wizard, read from what exists (so the wizard resumes where the
/// owner left it, on any phone): services added, hours saved, a second person on the team, a channel connected.
/// A skipped step leaves an audit entry, so it counts as done too.
/// </summary>
internal sealed record OnboardingProgress(IReadOnlySet<WelcomeStep> Done)
{
    public const string SkippedAction = "onboarding.skipped";

    public static readonly WelcomeStep[] Steps = Enum.GetValues<WelcomeStep>();

    /// <summary>The first step not done yet; the share step once everything else is.</summary>
    public WelcomeStep Next => Steps.FirstOrDefault(s => s != WelcomeStep.Share && !Done.Contains(s), WelcomeStep.Share);

    public static async Task<OnboardingProgress> ReadAsync(KaribuDb db, CancellationToken ct)
    {
        var skipped = await db.AuditEvents.AsNoTracking().Where(a => a.Action == SkippedAction).Select(a => a.Data).ToListAsync(ct);
        var done = Steps.Where(s => skipped.Contains(Name(s))).ToHashSet();
        if (await db.Services.AnyAsync(ct))
        {
            done.Add(WelcomeStep.Services);
        }

        if (await db.AuditEvents.AnyAsync(a => a.Action == "business_hours.updated", ct))
        {
            done.Add(WelcomeStep.Hours);
        }

        if (await db.Staff.CountAsync(s => s.IsActive, ct) > 1)
        {
            done.Add(WelcomeStep.Staff);
        }

        if (await db.ChannelAccounts.AnyAsync(c => c.IsActive && c.Kind != ChannelKind.Mpesa, ct))
        {
            done.Add(WelcomeStep.Channel);
        }

        return new OnboardingProgress(done);
    }

    /// <summary>Marks a step as skipped (the caller saves).</summary>
    public static void Skip(KaribuDb db, WelcomeStep step, string actor, Guid organizationId) =>
        db.Audit(actor, SkippedAction, "organization", organizationId, Name(step));

    public static string Name(WelcomeStep step) => step.ToString().ToLowerInvariant();

    public static WelcomeStep? Parse(string? name) =>
        Steps.Where(s => string.Equals(Name(s), name, StringComparison.OrdinalIgnoreCase)).Select(s => (WelcomeStep?)s).FirstOrDefault();
}
