using System.Text.Json.Nodes;
using Karibu.Features.Staff;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.Playground;

/// <summary>
/// An app with the seeded demo business (Barbería El Bigote) on Tuesday 24 November 2026, 08:00 in
/// Mexico City, where Luis has Carlos Méndez at 11:00 and a block from 15:00 to 16:00.
/// </summary>
internal sealed class PlaygroundShop : IAsyncDisposable
{
    // Tuesday 24 November 2026, 08:00 in Mexico City (UTC-6): the shop opens at 10:00.
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 14, 0, 0, TimeSpan.Zero);

    private PlaygroundShop(KaribuApp app, Guid demoId, Guid luisId, Guid ownerId, Guid carlosId, Guid haircutId)
    {
        App = app;
        DemoId = demoId;
        LuisId = luisId;
        OwnerId = ownerId;
        CarlosId = carlosId;
        HaircutId = haircutId;
        Anonymous = app.Address is { } address ? new HttpClient { BaseAddress = address } : app.Client(null);
    }

    public KaribuApp App { get; }
    public Guid DemoId { get; }
    public Guid LuisId { get; }
    public Guid OwnerId { get; }
    public Guid CarlosId { get; }
    public Guid HaircutId { get; }

    /// <summary>No API key: the playground needs none.</summary>
    public HttpClient Anonymous { get; }

    public string Api => $"/playground/api/businesses/{DemoId}";

    public static Dictionary<string, string?> Settings(IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?> { ["Karibu:SeedDemoBusiness"] = "true" };
        foreach (var (k, v) in more ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }

        return settings;
    }

    public static async Task<PlaygroundShop> StartAsync(string environment = "Testing") =>
        await ArrangeAsync(await KaribuApp.StartAsync(settings: Settings(), environment: environment));

    /// <summary>The same shop served on 127.0.0.1 for a browser.</summary>
    public static Task<PlaygroundShop> StartListeningAsync() => ArrangeAsync(KaribuApp.StartListening(Settings()));

    private static async Task<PlaygroundShop> ArrangeAsync(KaribuApp app)
    {
        app.Time.Set(Now);
        var (db, scope) = app.Db();
        Guid demoId;
        using (scope)
        {
            demoId = await db.Organizations.IgnoreQueryFilters().Where(o => o.IsDemo).Select(o => o.Id).SingleAsync();
        }

        (db, scope) = app.Db(demoId);
        PlaygroundShop shop;
        using (scope)
        {
            var staff = await db.Staff.ToListAsync();
            var carlos = await db.Customers.SingleAsync(c => c.DisplayName == "Carlos Méndez");
            var haircut = await db.Services.SingleAsync(s => s.Name == "Corte de cabello");
            shop = new PlaygroundShop(
                app, demoId, staff.Single(s => s.Role == StaffRole.Employee).Id, staff.Single(s => s.Role == StaffRole.Owner).Id, carlos.Id, haircut.Id);
        }

        using var admin = app.Admin();
        if (app.Address is { } address)
        {
            admin.BaseAddress = address;
        }

        var path = $"/api/v1/organizations/{demoId}";
        await (await admin.PostJsonAsync($"{path}/appointments", new
        {
            service_id = shop.HaircutId, start = "2026-11-24T11:00", staff_id = shop.LuisId, customer_id = shop.CarlosId,
        })).AssertStatusAsync(201);
        await (await admin.PostJsonAsync($"{path}/staff/{shop.LuisId}/time-off", new
        {
            date = "2026-11-24", start_time = "15:00", end_time = "16:00", note = "Dentista",
        })).AssertStatusAsync(201);
        return shop;
    }

    public async Task<JsonNode> SendAsync(string sender, string text) =>
        await (await Anonymous.PostJsonAsync($"{Api}/messages", new { sender, text })).AssertStatusAsync(202);

    public async Task<JsonArray> ThreadAsync(string sender) =>
        (await (await Anonymous.GetAsync($"{Api}/thread?sender={Uri.EscapeDataString(sender)}")).AssertStatusAsync(200))["messages"]!.AsArray();

    /// <summary>Waits until the thread has at least <paramref name="count"/> messages, the last one a sent reply, and returns it.</summary>
    public async Task<JsonArray> WaitForReplyAsync(string sender, int count)
    {
        JsonArray messages = [];
        await Eventually.HoldsAsync(async () =>
        {
            messages = await ThreadAsync(sender);
            return messages.Count >= count && messages[^1]!.Str("direction") == "outbound" && messages[^1]!.Str("status") == "sent";
        }, $"{count} messages in {sender}'s thread, the last a sent reply");
        return messages;
    }

    public async ValueTask DisposeAsync()
    {
        Anonymous.Dispose();
        await App.DisposeAsync();
    }
}
