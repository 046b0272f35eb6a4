namespace Karibu.Features.Channels.Sms;

internal static class SmsServiceCollectionExtensions
{
    /// <summary>The send timeout for every provider; a send that takes longer is reported as Retry.</summary>
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Binds and validates <c>Karibu:Sms</c>, registers the Africa's Talking and Onfon typed HttpClients, and
    /// exposes both as <see cref="ISmsClient"/> (resolve <c>IEnumerable&lt;ISmsClient&gt;</c> and pick by provider).
    /// </summary>
    public static IServiceCollection AddSmsProviders(this IServiceCollection services)
    {
        services.AddOptions<SmsOptions>().BindConfiguration(SmsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient<AfricasTalkingClient>(c => c.Timeout = SendTimeout);
        services.AddHttpClient<OnfonClient>(c => c.Timeout = SendTimeout);
        services.AddTransient<ISmsClient>(sp => sp.GetRequiredService<AfricasTalkingClient>());
        services.AddTransient<ISmsClient>(sp => sp.GetRequiredService<OnfonClient>());
        return services;
    }
}
