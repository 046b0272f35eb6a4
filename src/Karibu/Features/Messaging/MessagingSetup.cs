using Karibu.Features.Assistant.Llm;
using Microsoft.Extensions.Options;

namespace Karibu.Features.Messaging;

internal static class MessagingSetup
{
    /// <summary>The inbox (webhook writes and processing), the outbox dispatcher and their options.</summary>
    public static WebApplicationBuilder AddKaribuMessaging(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MessagingOptions>().BindConfiguration(MessagingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<InboxSignal>();
        services.AddSingleton<ChannelDirectory>();
        services.AddSingleton<SendRates>();
        services.AddSingleton<OptOutKeywords>();
        services.AddScoped<InboundMessages>();
        services.AddKaribuAssistant();
        services.AddSingleton<InboxWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<InboxWriter>());
        services.AddSingleton<InboxProcessor>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService<Workers>();
        return builder;
    }
}

/// <summary>Runs the inbox processor and the dispatcher unless this node is web-only (Karibu:Messaging:RunWorkers=false).</summary>
internal sealed class Workers(InboxProcessor inbox, OutboxDispatcher outbox, IOptions<MessagingOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.RunWorkers)
        {
            await inbox.StartAsync(cancellationToken);
            await outbox.StartAsync(cancellationToken);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (options.Value.RunWorkers)
        {
            await outbox.StopAsync(cancellationToken);
            await inbox.StopAsync(cancellationToken);
        }
    }

    /// <summary>Identifies one worker of one process in leases (and in logs).</summary>
    public static string NewName(string role) => $"{role}:{Environment.ProcessId}:{Guid.NewGuid():N}";
}
