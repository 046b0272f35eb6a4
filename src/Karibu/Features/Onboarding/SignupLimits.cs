using System.ComponentModel.DataAnnotations;
using Karibu.Web;
using Microsoft.Extensions.Options;

namespace Karibu.Features.Onboarding;

/// <summary>The <c>Karibu:Signup</c> section: how many businesses one address may open.</summary>
internal sealed class SignupOptions
{
    public const string SectionName = "Karibu:Signup";

    /// <summary>Businesses one IP address may create through /signup in an hour (counted on each instance).</summary>
    [Range(1, 10_000)]
    public int MaxSignupsPerIpPerHour { get; set; } = 5;
}

/// <summary>
/// Keeps /signup from being used to mass-create businesses: an IP address may sign up a few times an hour,
/// counted in this instance's memory (addresses are not stored), like the booking page's limit.
/// </summary>
internal sealed class SignupLimits(TimeProvider time, IOptions<SignupOptions> options)
{
    private readonly HourlyCounts _byIp = new(time);

    public bool IpMaySignUp(string ip) => _byIp.Below(ip, options.Value.MaxSignupsPerIpPerHour);

    public void IpSignedUp(string ip) => _byIp.Add(ip);
}
