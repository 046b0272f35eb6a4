using System.Net;
using Karibu.Features.Conversations;
using Karibu.Features.Messaging;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.Messaging;

public sealed class SmsAndSimulatorTests
{
    private static async Task<(MessagingHarness H, FakeSmsProviders Sms, Tenant Kenya, HttpClient Client, string DeliveryUrl, string InboundUrl)> KenyaAsync(
        Dictionary<string, string?>? extra = null)
    {
        var sms = await FakeSmsProviders.StartAsync();
        var options = sms.Options();
        var settings = new Dictionary<string, string?>
        {
            ["Karibu:Sms:AfricasTalkingBaseUrl"] = options.AfricasTalkingBaseUrl,
            ["Karibu:Sms:AfricasTalkingSandboxBaseUrl"] = options.AfricasTalkingSandboxBaseUrl,
            ["Karibu:Sms:OnfonBaseUrl"] = options.OnfonBaseUrl,
        };
        foreach (var (k, v) in extra ?? [])
        {
            settings[k] = v;
        }

        var h = await MessagingHarness.StartAsync(settings: settings, connect: false);
        var kenya = await h.App.CreateAsync(Tenants.NairobiSalon());
        var client = h.App.Client(kenya.ApiKey);
        var connected = await (await client.PostJsonAsync($"{kenya.Path}/connect-sms", new
        {
            provider = "africastalking",
            username = FakeSmsProviders.AfricasTalkingUsername,
            api_key = FakeSmsProviders.AfricasTalkingApiKey,
            sender_id = "MAMADUKA",
        })).AssertStatusAsync(200);
        return (h, sms, kenya, client, new Uri(connected.Str("delivery_report_url")).PathAndQuery, new Uri(connected.Str("inbound_url")).PathAndQuery);
    }

    [Fact]
    public async Task IncomingSms_StartsAConversation_AndTheReplyGoesOutThroughAfricasTalking_ThenDeliveryReportsMoveIt()
    {
        var (h, sms, kenya, client, deliveryUrl, inboundUrl) = await KenyaAsync();
        await using var _ = h;
        await using var __ = sms;
        using var ___ = client;

        using (var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["date"] = "2025-10-30 14:40:12", ["from"] = "+254712345678", ["id"] = "5d1f0a6b-inbound-1", ["linkId"] = "L1", ["text"] = "SITAKI", ["to"] = "MAMADUKA",
        }))
        {
            Assert.Equal(HttpStatusCode.OK, (await h.Anonymous.PostAsync(inboundUrl, form)).StatusCode);
        }

        await Eventually.HoldsAsync(async () => await CountAsync(h, kenya.Id, db => db.Messages.CountAsync(m => m.Status == MessageStatus.Sent)) == 1,
            "the Swahili opt-out confirmation to be sent by SMS");

        var request = sms.Requests.Single();
        Assert.Equal("/version1/messaging", request.Path);
        Assert.Equal("+254712345678", request.Form!["to"]);
        Assert.StartsWith("Sawa, hutapokea tena jumbe za matangazo kutoka Salon ya Mama Njeri", request.Form["message"], StringComparison.Ordinal);

        var (db2, scope2) = h.App.Db(kenya.Id);
        using (scope2)
        {
            var customer = await db2.Customers.SingleAsync();
            Assert.Equal(["sms"], customer.OptedOutChannels);
            var reply = await db2.Messages.SingleAsync(m => m.Direction == MessageDirection.Outbound);
            Assert.Equal("ATXid_fabd5d394a3ca5c081d451d2bea93665", reply.ProviderMessageId);
            Assert.Equal(MessageChannel.Sms, reply.Channel);
            Assert.True(reply.Segments >= 1);
        }

        using (var dlr = new StringContent(Fixtures.Read("sms", "africastalking-dlr-success.form"), System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"))
        {
            Assert.Equal(HttpStatusCode.OK, (await h.Anonymous.PostAsync(deliveryUrl, dlr)).StatusCode);
        }

        await Eventually.HoldsAsync(async () => await CountAsync(h, kenya.Id, db => db.Messages.CountAsync(m => m.Status == MessageStatus.Delivered)) == 1, "the delivery report to apply");

        // A wrong secret in the URL is refused and stores nothing.
        var forged = deliveryUrl.Replace("/delivery", "", StringComparison.Ordinal);
        forged = forged[..^4] + "beef/delivery";
        using var again = new StringContent(Fixtures.Read("sms", "africastalking-dlr-success.form"), System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        await (await h.Anonymous.PostAsync(forged, again)).AssertProblemAsync(404);
    }

    [Fact]
    public async Task AfricasTalkingsOptOutNotification_IsRecorded_WithoutTextingBack()
    {
        var (h, sms, kenya, client, _, inboundUrl) = await KenyaAsync();
        await using var _h = h;
        await using var _s = sms;
        using var _c = client;
        await (await client.PostJsonAsync($"{kenya.Path}/customers", new { phone_number = "0712 345 678", name = "Wanjiku" })).AssertStatusAsync(201);

        using (var form = new StringContent(Fixtures.Read("sms", "africastalking-optout.form"), System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"))
        {
            Assert.Equal(HttpStatusCode.OK, (await h.Anonymous.PostAsync(inboundUrl.Replace("/inbound", "/optout", StringComparison.Ordinal), form)).StatusCode);
        }

        await Eventually.HoldsAsync(async () => await CountAsync(h, kenya.Id, db => db.Customers.CountAsync(c => c.OptedOutAt != null)) == 1, "the opt-out recorded");
        var (db, scope) = h.App.Db(kenya.Id);
        using (scope)
        {
            Assert.Equal(["sms"], (await db.Customers.SingleAsync()).OptedOutChannels);
        }

        Assert.Empty(sms.Requests);
    }

    [Fact]
    public async Task WhenTheWindowIsClosed_AndTheBusinessAllowsIt_WhatsAppFallsBackToSms()
    {
        var (h, sms, kenya, client, _, _) = await KenyaAsync();
        await using var _h = h;
        await using var _s = sms;
        using var _c = client;
        await (await client.PatchJsonAsync(kenya.Path, new { settings = new { allow_sms_fallback = true } })).AssertStatusAsync(200);
        await (await client.PostJsonAsync($"{kenya.Path}/connect-whatsapp", new
        {
            phone_number_id = "200000000000002", waba_id = "100000000000002", access_token = "EAAG-ke", display_phone_number = "254700000001",
        })).AssertStatusAsync(200);

        var (db, scope) = h.App.Db(kenya.Id);
        Guid messageId;
        using (scope)
        {
            var customer = new Karibu.Features.Customers.Customer
            {
                PhoneNumber = "+254712345678", PersonId = await Karibu.Features.Customers.People.GetOrAddAsync(db, "+254712345678", default),
            };
            db.Customers.Add(customer);
            var conversation = new Conversation { CustomerId = customer.Id, Channel = MessageChannel.Whatsapp, Address = "+254712345678" };
            db.Conversations.Add(conversation);
            messageId = Outbox.Queue(db, conversation, "Habari! Tunakukumbusha miadi yako kesho saa 4.", MessagePurpose.Reminder).Id;
            await db.SaveChangesAsync();
        }

        await Eventually.HoldsAsync(async () => await CountAsync(h, kenya.Id, d => d.Messages.CountAsync(m => m.Id == messageId && m.Status == MessageStatus.Sent)) == 1,
            "the reminder to go by SMS");
        Assert.Empty(h.Graph.Requests);
        Assert.Equal("Habari! Tunakukumbusha miadi yako kesho saa 4.", sms.Requests.Single().Form!["message"]);
        var (db3, scope3) = h.App.Db(kenya.Id);
        using (scope3)
        {
            Assert.Equal(MessageChannel.Sms, (await db3.Messages.SingleAsync(m => m.Id == messageId)).Channel);
        }
    }

    [Fact]
    public async Task TheSimulator_RunsTheSamePipeline_AndKeepsRepliesInTheDatabase()
    {
        await using var h = await MessagingHarness.StartAsync(connect: false);

        var accepted = await (await h.Client.PostJsonAsync($"{h.Tenant.Path}/simulator/messages", new { from = "55 1234 0000", text = "STOP", name = "Ana" }))
            .AssertStatusAsync(202);
        Assert.Equal("+525512340000", accepted.Str("from"));
        await h.WaitInboxDrainedAsync();
        await h.WaitOutboxDrainedAsync();

        var conversation = await h.QueryAsync(db => db.Conversations.SingleAsync());
        Assert.Equal(MessageChannel.Simulator, conversation.Channel);
        var messages = await (await h.Client.GetAsync($"{h.Tenant.Path}/conversations/{conversation.Id}/messages")).AssertStatusAsync(200);
        var data = messages["data"]!.AsArray();
        Assert.Equal(["inbound", "outbound"], data.Select(m => m!.Str("direction")));
        Assert.Equal("sent", data[1]!.Str("status"));
        Assert.StartsWith("Listo", data[1]!.Str("body"), StringComparison.Ordinal);
        Assert.Equal("Ana", (await h.QueryAsync(db => db.Customers.SingleAsync())).DisplayName);
        Assert.Empty(h.Graph.Requests);

        await (await h.Client.PostJsonAsync($"{h.Tenant.Path}/simulator/messages", new { from = "not a phone", text = "" })).AssertFieldErrorAsync("from");
    }

    private static async Task<int> CountAsync(MessagingHarness h, Guid organizationId, Func<Karibu.Data.KaribuDb, Task<int>> query)
    {
        var (db, scope) = h.App.Db(organizationId);
        using (scope)
        {
            return await query(db);
        }
    }
}
