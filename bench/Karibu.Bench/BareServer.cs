using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Karibu.Bench;

/// <summary>
/// The baseline for <see cref="WebhookIngest"/>: the cheapest ASP.NET Core endpoint there is, a POST
/// that answers 200 without reading the body, run in its own process so the load generator pays the
/// same costs against it as against Karibu. <c>bare-server &lt;port&gt; [--fake-graph]</c>; with
/// <c>--fake-graph</c> it also accepts Graph API sends (<c>POST /{version}/{phone}/messages</c>) so a
/// run with Karibu's workers on can send replies without leaving the machine.
/// </summary>
internal static class BareServer
{
    public static async Task RunAsync(string[] args)
    {
        var port = int.Parse(args[1], CultureInfo.InvariantCulture);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        await using var app = builder.Build();
        app.MapPost("/", () => Results.Ok());
        if (args.Contains("--fake-graph"))
        {
            long sent = 0;
            app.MapPost("/{version}/{phoneNumberId}/messages", () => Results.Text(
                string.Create(CultureInfo.InvariantCulture,
                    $$"""{"messaging_product":"whatsapp","messages":[{"id":"wamid.FAKE_OUT_{{Interlocked.Increment(ref sent)}}"}],"success":true}"""),
                "application/json"));
        }

        await app.RunAsync();
    }
}
