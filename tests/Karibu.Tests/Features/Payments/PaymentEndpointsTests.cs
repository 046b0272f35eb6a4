using System.Text.Json.Nodes;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.Payments;

/// <summary>
/// M-Pesa over HTTP with the shared fixtures, in a Nairobi salon (EAT, UTC+03:00): C2B callbacks on the
/// secret URLs from connect-mpesa, forwarded confirmation SMS, the unmatched list and assigning.
/// </summary>
public sealed class PaymentEndpointsTests
{
    private const string KevinPhone = "0712 345 678"; // the number hashed in c2b-confirmation-paybill-hashed.json

    private sealed record Shop(HttpClient Client, string Path, Guid OrganizationId, string Validation, string Confirmation, string Sms);

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task HashedMsisdn_MatchesTheRightCustomer_AndAReplayAddsNothing(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var shop = await ArrangeAsync(app);
        var other = await CustomerAsync(shop, "0722 111 222", "Kevin Otieno");
        var kevin = await CustomerAsync(shop, KevinPhone, "Kevin Mutua");
        var body = Fixtures.Read("mpesa", "c2b-confirmation-paybill-hashed.json");
        var ack = JsonNode.Parse(Fixtures.Read("mpesa", "c2b-confirmation-ack.json"));

        var first = await (await shop.Client.PostRawAsync(shop.Confirmation, body)).AssertStatusAsync(200);
        Assert.True(JsonNode.DeepEquals(ack, first), first.ToJsonString());

        var payment = Assert.Single(await PaymentsAsync(shop, ""))!;
        Assert.Equal("c2b", payment.Str("source"));
        Assert.Equal("TK60ABCD1Z", payment.Str("receipt"));
        Assert.Equal(100, payment["amount_cents"]!.GetValue<long>());
        Assert.Equal("KES", payment.Str("currency"));
        Assert.Equal("KEVIN MUTUA KILONZO", payment.Str("payer_name"));
        Assert.Null(payment["payer_phone"]);
        Assert.Equal("UM001", payment.Str("account_reference"));
        Assert.Equal("2025-11-06T23:02:12+03:00", payment.Str("paid_at"));
        Assert.Equal(kevin, Guid.Parse(payment.Str("customer_id")));
        Assert.Equal("hashed", payment.Str("match_method"));
        var visitId = Guid.Parse(payment.Str("visit_id"));

        // Daraja retries: the same TransID again, twice.
        for (var i = 0; i < 2; i++)
        {
            var again = await (await shop.Client.PostRawAsync(shop.Confirmation, body)).AssertStatusAsync(200);
            Assert.True(JsonNode.DeepEquals(ack, again), again.ToJsonString());
        }

        Assert.Single(await PaymentsAsync(shop, ""));
        var visits = (await (await shop.Client.GetAsync($"{shop.Path}/customers/{kevin}/visits")).AssertStatusAsync(200))["data"]!.AsArray();
        var visit = Assert.Single(visits)!;
        Assert.Equal(visitId, visit.Id());
        Assert.Equal("payment", visit.Str("source"));
        Assert.Equal(payment.Id(), Guid.Parse(visit.Str("payment_id")));
        Assert.Equal(100, visit["paid_cents"]!.GetValue<long>());
        var customer = await (await shop.Client.GetAsync($"{shop.Path}/customers/{kevin}")).AssertStatusAsync(200);
        Assert.Equal(1, customer["visit_count"]!.GetValue<int>());
        Assert.Equal(100, customer["total_spent_cents"]!.GetValue<long>());
        var otherCustomer = await (await shop.Client.GetAsync($"{shop.Path}/customers/{other}")).AssertStatusAsync(200);
        Assert.Equal(0, otherCustomer["visit_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task PlainMsisdn_Matches_OnItsOwnShortCode_AndAnotherShortCodeRecordsNothing()
    {
        await using var app = await KaribuApp.StartAsync();
        var shop = await ArrangeAsync(app);
        var john = await CustomerAsync(shop, "0708 374 149", "John Doe");
        var body = Fixtures.Read("mpesa", "c2b-confirmation-legacy-plain-msisdn.json"); // short code 603005

        // Sent to the 600984 URL: acknowledged (never retried) but not this business's money.
        await (await shop.Client.PostRawAsync(shop.Confirmation, body)).AssertStatusAsync(200);
        Assert.Empty(await PaymentsAsync(shop, ""));
        var (db, scope) = app.Db(shop.OrganizationId);
        using (scope)
        {
            var audit = await db.AuditEvents.SingleAsync(a => a.Action == "mpesa.confirmation_unusable");
            Assert.Contains("603005", audit.Data!, StringComparison.Ordinal);
        }

        // The business also has the paybill 603005.
        var second = await (await shop.Client.PostJsonAsync($"{shop.Path}/connect-mpesa", new { short_code = "603005" })).AssertStatusAsync(200);
        await (await shop.Client.PostRawAsync(new Uri(second.Str("confirmation_url")).PathAndQuery, body)).AssertStatusAsync(200);
        var payment = Assert.Single(await PaymentsAsync(shop, "?matched=true"))!;
        Assert.Equal("NFU51H9FM1", payment.Str("receipt"));
        Assert.Equal("+254708374149", payment.Str("payer_phone"));
        Assert.Equal(john, Guid.Parse(payment.Str("customer_id")));
        Assert.Equal("plain", payment.Str("match_method"));
        Assert.Equal("2019-06-30T07:07:54+03:00", payment.Str("paid_at"));
    }

    [Fact]
    public async Task MaskedMsisdn_StaysUnmatchedWithASuggestion_UntilTheOwnerAssignsIt()
    {
        await using var app = await KaribuApp.StartAsync();
        var shop = await ArrangeAsync(app);
        await CustomerAsync(shop, KevinPhone, "Kevin Mutua"); // also ends in 678, but not a Jane
        var jane = await CustomerAsync(shop, "0711 222 678", "Jane Wanjiku");

        await (await shop.Client.PostRawAsync(shop.Confirmation, Fixtures.Read("mpesa", "c2b-confirmation-paybill-masked.json"))).AssertStatusAsync(200);
        Assert.Empty(await PaymentsAsync(shop, "?matched=true"));
        var unmatched = Assert.Single(await PaymentsAsync(shop, "?matched=false"))!;
        Assert.Equal("TJU4ABC1DE", unmatched.Str("receipt"));
        Assert.Equal(150000, unmatched["amount_cents"]!.GetValue<long>());
        Assert.Equal("2547 ***** 678", unmatched.Str("payer_phone_hint"));
        Assert.Null(unmatched["payer_phone"]);
        Assert.Null(unmatched["customer_id"]);
        Assert.Null(unmatched["visit_id"]);
        Assert.Equal(jane, Guid.Parse(unmatched.Str("suggested_customer_id")));
        Assert.Equal("masked_phone_and_name", unmatched.Str("suggestion_reason"));
        var janeBefore = await (await shop.Client.GetAsync($"{shop.Path}/customers/{jane}")).AssertStatusAsync(200);
        Assert.Equal(0, janeBefore["visit_count"]!.GetValue<int>());

        var url = $"{shop.Path}/payments/{unmatched.Id()}/assign";
        await (await shop.Client.PostJsonAsync(url, new { customer_id = Guid.NewGuid() })).AssertProblemAsync(404);
        await (await shop.Client.PostJsonAsync(url, new { })).AssertFieldErrorAsync("customer_id");
        await (await shop.Client.PostJsonAsync($"{shop.Path}/payments/{Guid.NewGuid()}/assign", new { customer_id = jane })).AssertProblemAsync(404);

        var assigned = await (await shop.Client.PostJsonAsync(url, new { customer_id = jane })).AssertStatusAsync(200);
        Assert.Equal(jane, Guid.Parse(assigned.Str("customer_id")));
        Assert.Equal("manual", assigned.Str("match_method"));
        var visitId = Guid.Parse(assigned.Str("visit_id"));
        await (await shop.Client.PostJsonAsync(url, new { customer_id = jane })).AssertProblemAsync(409);

        Assert.Empty(await PaymentsAsync(shop, "?matched=false"));
        var visit = Assert.Single((await (await shop.Client.GetAsync($"{shop.Path}/customers/{jane}/visits")).AssertStatusAsync(200))["data"]!.AsArray())!;
        Assert.Equal(visitId, visit.Id());
        Assert.Equal("2025-10-30", visit.Str("date"));
        var janeAfter = await (await shop.Client.GetAsync($"{shop.Path}/customers/{jane}")).AssertStatusAsync(200);
        Assert.Equal(1, janeAfter["visit_count"]!.GetValue<int>());
        Assert.Equal(150000, janeAfter["total_spent_cents"]!.GetValue<long>());
    }

    [Fact]
    public async Task Validation_AcceptsItsOwnShortCode_AndRejectsAnotherOrABadAmount()
    {
        await using var app = await KaribuApp.StartAsync();
        var shop = await ArrangeAsync(app);
        var request = Fixtures.Read("mpesa", "c2b-validation-request-masked.json");

        var accepted = await (await shop.Client.PostRawAsync(shop.Validation, request)).AssertStatusAsync(200);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Fixtures.Read("mpesa", "c2b-validation-response-accept.json")), accepted), accepted.ToJsonString());

        var otherCode = await (await shop.Client.PostRawAsync(shop.Validation, request.Replace("600984", "600996", StringComparison.Ordinal))).AssertStatusAsync(200);
        Assert.Equal("C2B00015", otherCode.Str("ResultCode"));
        Assert.Equal("Rejected", otherCode.Str("ResultDesc"));

        var badAmount = await (await shop.Client.PostRawAsync(shop.Validation, request.Replace("\"1500.00\"", "\"15OO.00\"", StringComparison.Ordinal))).AssertStatusAsync(200);
        Assert.Equal("C2B00013", badAmount.Str("ResultCode"));
        Assert.Empty(await PaymentsAsync(shop, "")); // validation never records a payment
    }

    [Fact]
    public async Task Confirmation_WithAMalformedAmount_IsAcknowledgedKeptForReview_AndRecordsNoPayment()
    {
        await using var app = await KaribuApp.StartAsync();
        var shop = await ArrangeAsync(app);
        await CustomerAsync(shop, KevinPhone, "Kevin Mutua");
        var body = Fixtures.Read("mpesa", "c2b-confirmation-paybill-hashed.json").Replace("\"1.00\"", "\"1.005\"", StringComparison.Ordinal);

        var answer = await (await shop.Client.PostRawAsync(shop.Confirmation, body)).AssertStatusAsync(200);
        Assert.Equal(0, answer["ResultCode"]!.GetValue<int>());
        await (await shop.Client.PostRawAsync(shop.Confirmation, "not json")).AssertStatusAsync(200);

        Assert.Empty(await PaymentsAsync(shop, ""));
        var (db, scope) = app.Db(shop.OrganizationId);
        using (scope)
        {
            var audits = await db.AuditEvents.Where(a => a.Action == "mpesa.confirmation_unusable").OrderBy(a => a.Id).ToListAsync();
            Assert.Equal(2, audits.Count);
            Assert.Contains("TransAmount", audits[0].Data!, StringComparison.Ordinal);
            Assert.Contains("TK60ABCD1Z", audits[0].Data!, StringComparison.Ordinal); // the raw body is kept
            Assert.Equal(0, await db.Visits.CountAsync());
        }
    }

    [Fact]
    public async Task UnknownWebhookTokens_Answer404()
    {
        await using var app = await KaribuApp.StartAsync();
        var shop = await ArrangeAsync(app);
        using var anonymous = app.CreateClient();
        var body = Fixtures.Read("mpesa", "c2b-confirmation-paybill-hashed.json");
        foreach (var action in new[] { "validation", "confirmation", "sms" })
        {
            await (await anonymous.PostRawAsync($"/api/v1/webhooks/mpesa/{new string('a', 48)}/{action}", body)).AssertProblemAsync(404);
            await (await anonymous.PostRawAsync($"/api/v1/webhooks/mpesa/short/{action}", body)).AssertProblemAsync(404);
        }

        // Connecting again rotates the secret: the old URL is gone.
        await (await shop.Client.PostJsonAsync($"{shop.Path}/connect-mpesa", new { short_code = "600984" })).AssertStatusAsync(200);
        await (await anonymous.PostRawAsync(shop.Confirmation, body)).AssertProblemAsync(404);
        Assert.Empty(await PaymentsAsync(shop, ""));
    }

    [Fact]
    public async Task ConnectMpesa_RefusesBadOrTakenShortCodes()
    {
        await using var app = await KaribuApp.StartAsync();
        var shop = await ArrangeAsync(app);
        await (await shop.Client.PostJsonAsync($"{shop.Path}/connect-mpesa", new { })).AssertFieldErrorAsync("short_code");
        await (await shop.Client.PostJsonAsync($"{shop.Path}/connect-mpesa", new { short_code = "60-0984" })).AssertFieldErrorAsync("short_code");

        var other = await app.CreateAsync(Tenants.NairobiSalon("Kinyozi Bora"));
        using var otherClient = app.Client(other.ApiKey);
        await (await otherClient.PostJsonAsync($"{other.Path}/connect-mpesa", new { short_code = "600984" })).AssertFieldErrorAsync("short_code");
    }

    [Fact]
    public async Task ForwardedSms_BecomeOnePaymentEach_AndOtherTextsAreIgnored()
    {
        await using var app = await KaribuApp.StartAsync();
        var shop = await ArrangeAsync(app);
        var jane = await CustomerAsync(shop, "0712 345 678", "Jane Wanjiku");
        var lines = File.ReadAllLines(Fixtures.Path("mpesa", "sms-examples.txt"));
        var url = $"{shop.Path}/payments/mpesa-sms";

        var created = await (await shop.Client.PostJsonAsync(url, new { text = lines[0], received_at = "2025-10-30T14:35:00+03:00" })).AssertStatusAsync(201);
        Assert.Equal("sms", created.Str("source"));
        Assert.Equal("TJU4ABC1DE", created.Str("receipt"));
        Assert.Equal(150000, created["amount_cents"]!.GetValue<long>());
        Assert.Equal("+254712345678", created.Str("payer_phone"));
        Assert.Equal("JANE WANJIKU", created.Str("payer_name"));
        Assert.Equal("2025-10-30T14:34:00+03:00", created.Str("paid_at"));
        Assert.Equal(jane, Guid.Parse(created.Str("customer_id")));
        Assert.Equal("plain", created.Str("match_method"));
        Assert.NotNull(created["visit_id"]);

        // Forwarded twice: the same payment, nothing counted again.
        var repeat = await (await shop.Client.PostJsonAsync(url, new { text = lines[0] })).AssertStatusAsync(200);
        Assert.Equal(created.Id(), repeat.Id());
        var customer = await (await shop.Client.GetAsync($"{shop.Path}/customers/{jane}")).AssertStatusAsync(200);
        Assert.Equal(1, customer["visit_count"]!.GetValue<int>());
        Assert.Equal(150000, customer["total_spent_cents"]!.GetValue<long>());

        // A masked sender stays unmatched, with what was visible.
        var masked = await (await shop.Client.PostJsonAsync(url, new { text = lines[1] })).AssertStatusAsync(201);
        Assert.Equal("0722***456", masked.Str("payer_phone_hint"));
        Assert.Null(masked["payer_phone"]);
        Assert.Null(masked["customer_id"]);

        // Not confirmations of money received: ignored with 200, nothing stored.
        foreach (var text in new[] { "Habari, nitakuja saa nane kesho.", lines[13], lines[0].Replace("Ksh1,500.00", "Ksh1,50.00", StringComparison.Ordinal) })
        {
            var ignored = await (await shop.Client.PostJsonAsync(url, new { text })).AssertStatusAsync(200);
            Assert.True(ignored["ignored"]!.GetValue<bool>(), text);
            Assert.False(string.IsNullOrEmpty(ignored.Str("reason")));
        }

        await (await shop.Client.PostJsonAsync(url, new { })).AssertFieldErrorAsync("text");

        // The forwarding app's own URL: no API key, the secret in the path.
        using var phone = app.CreateClient();
        var forwarded = await (await phone.PostJsonAsync(shop.Sms, new { text = lines[2] })).AssertStatusAsync(201);
        Assert.Equal("RBK9ZX12QW", forwarded.Str("receipt"));

        var all = await PaymentsAsync(shop, "");
        Assert.Equal(["TJU4ABC1DE", "UD7K2LM9QX", "RBK9ZX12QW"], all.Select(p => p!.Str("receipt")));
        Assert.Equal(["UD7K2LM9QX", "RBK9ZX12QW"], (await PaymentsAsync(shop, "?matched=false")).Select(p => p!.Str("receipt")));
        var page = await (await shop.Client.GetAsync($"{shop.Path}/payments?limit=1")).AssertStatusAsync(200);
        Assert.True(page["has_more"]!.GetValue<bool>());
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task APayment_OnTheDayOfACompletedAppointment_MergesIntoOneVisit(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var shop = await ArrangeAsync(app);
        var kevin = await CustomerAsync(shop, KevinPhone, "Kevin Mutua");
        var service = (await (await shop.Client.PostJsonAsync($"{shop.Path}/services", new { name = "Rasta", duration_minutes = 60, price_cents = 150000 })).AssertStatusAsync(201)).Id();
        await (await shop.Client.PostJsonAsync($"{shop.Path}/staff", new { name = "Wanjiru", phone_number = "0711 000 111" })).AssertStatusAsync(201);

        app.Time.Set(new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.FromHours(3)));
        var appointment = (await (await shop.Client.PostJsonAsync($"{shop.Path}/appointments", new { service_id = service, start = "2026-11-21T10:00", customer_id = kevin, override_availability = true })).AssertStatusAsync(201)).Id();
        app.Time.Set(new DateTimeOffset(2026, 11, 21, 11, 5, 0, TimeSpan.FromHours(3)));
        await (await shop.Client.PostJsonAsync($"{shop.Path}/appointments/{appointment}/complete", new { })).AssertStatusAsync(200);

        // Paid by M-Pesa at 11:10 the same day.
        var body = JsonNode.Parse(Fixtures.Read("mpesa", "c2b-confirmation-paybill-hashed.json"))!.AsObject();
        body["TransID"] = "UKL7TEST01";
        body["TransTime"] = "20261121111000";
        body["TransAmount"] = "1500.00";
        await (await shop.Client.PostRawAsync(shop.Confirmation, body.ToJsonString())).AssertStatusAsync(200);

        var payment = Assert.Single(await PaymentsAsync(shop, "?matched=true"))!;
        var visit = Assert.Single((await (await shop.Client.GetAsync($"{shop.Path}/customers/{kevin}/visits")).AssertStatusAsync(200))["data"]!.AsArray())!;
        Assert.Equal(visit.Id(), Guid.Parse(payment.Str("visit_id")));
        Assert.Equal("appointment", visit.Str("source"));
        Assert.Equal(appointment, Guid.Parse(visit.Str("appointment_id")));
        Assert.Equal(payment.Id(), Guid.Parse(visit.Str("payment_id")));
        Assert.Equal(150000, visit["amount_cents"]!.GetValue<long>());
        Assert.Equal(150000, visit["paid_cents"]!.GetValue<long>());
        var customer = await (await shop.Client.GetAsync($"{shop.Path}/customers/{kevin}")).AssertStatusAsync(200);
        Assert.Equal(1, customer["visit_count"]!.GetValue<int>());
        Assert.Equal(150000, customer["total_spent_cents"]!.GetValue<long>()); // paid for what was billed: not counted twice
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AMaskedConfirmation_ThatFitsTwoCustomers_IsSuggestedForTheOneBookedAtThatPriceAndTime(string provider)
    {
        await using var app = await KaribuApp.StartAsync(provider);
        var shop = await ArrangeAsync(app);
        var janeWanjiku = await CustomerAsync(shop, "0711 222 678", "Jane Wanjiku");
        var janeMwangi = await CustomerAsync(shop, "0733 000 678", "Jane Mwangi"); // fits the mask and the name too
        var styling = await ServiceAsync(shop, "Styling", 60, 150000);
        var braids = await ServiceAsync(shop, "Braids", 60, 200000);
        // 30 October 2025: Jane Mwangi at 14:00 for KES 1,500; Jane Wanjiku at 13:00, for KES 2,000.
        await BookAsync(app, shop, janeMwangi, styling, "2025-10-30T14:00");
        await BookAsync(app, shop, janeWanjiku, braids, "2025-10-30T13:00");

        // The masked paybill fixture: KES 1,500.00 from JANE WANJIKU, 2547 ***** 678, at 14:34.
        await (await shop.Client.PostRawAsync(shop.Confirmation, Fixtures.Read("mpesa", "c2b-confirmation-paybill-masked.json"))).AssertStatusAsync(200);

        var payment = Assert.Single(await PaymentsAsync(shop, "?matched=false"))!;
        Assert.Null(payment["customer_id"]);
        Assert.Null(payment["visit_id"]);
        Assert.Equal(janeMwangi, Guid.Parse(payment.Str("suggested_customer_id")));
        Assert.Equal("masked_phone_name_amount_time", payment.Str("suggestion_reason"));

        // Another amount fits no appointment: the mask alone fits two, so nobody is suggested.
        var other = JsonNode.Parse(Fixtures.Read("mpesa", "c2b-confirmation-paybill-masked.json"))!.AsObject();
        other["TransID"] = "TJU4ABC1DF";
        other["TransAmount"] = "1200.00";
        await (await shop.Client.PostRawAsync(shop.Confirmation, other.ToJsonString())).AssertStatusAsync(200);
        var unsure = await (await shop.Client.GetAsync($"{shop.Path}/payments?matched=false&starting_after={payment.Id()}")).AssertStatusAsync(200);
        var second = Assert.Single(unsure["data"]!.AsArray())!;
        Assert.Equal("TJU4ABC1DF", second.Str("receipt"));
        Assert.Null(second["suggested_customer_id"]);
        Assert.Null(second["suggestion_reason"]);
    }

    [Fact]
    public async Task AForwardedSms_FromAMaskedNumber_IsSuggestedOnAmountAndTime_ForACustomerKnownOnlyByPhone()
    {
        await using var app = await KaribuApp.StartAsync();
        var shop = await ArrangeAsync(app);
        var walkIn = (await (await shop.Client.PostJsonAsync($"{shop.Path}/customers", new { phone_number = "0722 123 456" })).AssertStatusAsync(201)).Id();
        await CustomerAsync(shop, "0722 000 999", "Peter Otieno"); // the payer's name, but another number
        var trim = await ServiceAsync(shop, "Trim", 30, 50000);
        await BookAsync(app, shop, walkIn, trim, "2026-04-07T08:45");

        // Line 2: KES 500.00 from PETER OTIENO 0722***456 on 7/4/26 at 9:05 AM, through the forwarding app's URL.
        var line = File.ReadAllLines(Fixtures.Path("mpesa", "sms-examples.txt"))[1];
        using var phone = app.CreateClient();
        var payment = await (await phone.PostJsonAsync(shop.Sms, new { text = line })).AssertStatusAsync(201);

        Assert.Null(payment["customer_id"]);
        Assert.Equal(walkIn, Guid.Parse(payment.Str("suggested_customer_id")));
        Assert.Equal("amount_and_time", payment.Str("suggestion_reason"));
        var stored = await (await shop.Client.GetAsync($"{shop.Path}/payments/{payment.Id()}")).AssertStatusAsync(200);
        Assert.Equal("amount_and_time", stored.Str("suggestion_reason"));
    }

    [Fact]
    public async Task UnusableConfirmationsAndGarbledTexts_AreListedForReview_NewestFirst_UntilDismissed()
    {
        await using var app = await KaribuApp.StartAsync();
        var shop = await ArrangeAsync(app);
        var lines = File.ReadAllLines(Fixtures.Path("mpesa", "sms-examples.txt"));
        using var phone = app.CreateClient();
        var review = $"{shop.Path}/payments/needs-review";

        // Another business's short code, then a malformed amount.
        await (await shop.Client.PostRawAsync(shop.Confirmation, Fixtures.Read("mpesa", "c2b-confirmation-legacy-plain-msisdn.json"))).AssertStatusAsync(200);
        app.Time.Advance(TimeSpan.FromMinutes(1));
        var badAmount = Fixtures.Read("mpesa", "c2b-confirmation-paybill-hashed.json").Replace("\"1.00\"", "\"1.005\"", StringComparison.Ordinal);
        await (await shop.Client.PostRawAsync(shop.Confirmation, badAmount)).AssertStatusAsync(200);
        app.Time.Advance(TimeSpan.FromMinutes(1));

        // A text that looks like a confirmation but whose amount is mangled, forwarded twice: kept once.
        var garbled = lines[0].Replace("Ksh1,500.00", "Ksh1,50.00", StringComparison.Ordinal);
        for (var i = 0; i < 2; i++)
        {
            var answer = await (await phone.PostJsonAsync(shop.Sms, new { text = garbled })).AssertStatusAsync(200);
            Assert.True(answer["ignored"]!.GetValue<bool>());
            Assert.True(answer["needs_review"]!.GetValue<bool>());
        }

        app.Time.Advance(TimeSpan.FromMinutes(1));
        // A transaction code cut short, pasted with the API key.
        var cut = await (await shop.Client.PostJsonAsync($"{shop.Path}/payments/mpesa-sms", new { text = lines[2][3..] })).AssertStatusAsync(200);
        Assert.True(cut["needs_review"]!.GetValue<bool>());

        // Not for review: a chat message, an outgoing payment, airtime.
        foreach (var text in new[] { "hola", lines[13], "TJU4ABC1DE confirmed. You bought Ksh100.00 of airtime on 30/10/25 at 2:34 PM. New M-PESA balance is Ksh3,150.00." })
        {
            var ignored = await (await shop.Client.PostJsonAsync($"{shop.Path}/payments/mpesa-sms", new { text })).AssertStatusAsync(200);
            Assert.True(ignored["ignored"]!.GetValue<bool>(), text);
            Assert.False(ignored["needs_review"]!.GetValue<bool>(), text);
        }

        var list = await (await shop.Client.GetAsync(review)).AssertStatusAsync(200);
        Assert.False(list["has_more"]!.GetValue<bool>());
        var items = list["data"]!.AsArray();
        Assert.Equal(["sms", "sms", "c2b", "c2b"], items.Select(i => i!.Str("source")));
        var (newest, sms, amount, shortCode) = (items[0]!, items[1]!, items[2]!, items[3]!);
        Assert.Equal(lines[2][3..], newest.Str("body"));
        Assert.Equal(garbled, sms.Str("body"));
        Assert.Contains("TJU4ABC1DE Confirmed", sms["errors"]!["text"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("TK60ABCD1Z", amount.Str("body"), StringComparison.Ordinal);
        Assert.NotEmpty(amount["errors"]!["TransAmount"]!.AsArray());
        Assert.Contains("603005", shortCode["errors"]!["BusinessShortCode"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("2026-11-21T18:00:00+03:00", shortCode.Str("received_at")); // business time
        Assert.Equal("2026-11-21T18:02:00+03:00", sms.Str("received_at"));
        Assert.Empty(await PaymentsAsync(shop, ""));

        // Paged like every list: ?limit and ?starting_after, still newest first.
        var first = await (await shop.Client.GetAsync($"{review}?limit=3")).AssertStatusAsync(200);
        Assert.True(first["has_more"]!.GetValue<bool>());
        var rest = await (await shop.Client.GetAsync($"{review}?limit=3&starting_after={first["data"]![2]!.Id()}")).AssertStatusAsync(200);
        Assert.Equal(shortCode.Id(), Assert.Single(rest["data"]!.AsArray())!.Id());
        await (await shop.Client.GetAsync($"{review}?limit=0")).AssertFieldErrorAsync("limit");

        // Another business sees none of it and cannot dismiss it.
        var other = await app.CreateAsync(Tenants.NairobiSalon("Kinyozi Bora"));
        using var otherClient = app.Client(other.ApiKey);
        Assert.Empty((await (await otherClient.GetAsync($"{other.Path}/payments/needs-review")).AssertStatusAsync(200))["data"]!.AsArray());
        await (await otherClient.PostJsonAsync($"{other.Path}/payments/needs-review/{sms.Id()}/dismiss", new { })).AssertProblemAsync(404);
        await (await otherClient.GetAsync(review)).AssertProblemAsync(404);

        // Dismissed: off the list, twice is fine; a payment's id is not a review item.
        await (await shop.Client.PostJsonAsync($"{review}/{sms.Id()}/dismiss", new { })).AssertStatusAsync(204);
        await (await shop.Client.PostJsonAsync($"{review}/{sms.Id()}/dismiss", new { })).AssertStatusAsync(204);
        await (await shop.Client.PostJsonAsync($"{review}/{Guid.NewGuid()}/dismiss", new { })).AssertProblemAsync(404);
        var after = (await (await shop.Client.GetAsync(review)).AssertStatusAsync(200))["data"]!.AsArray();
        Assert.Equal([newest.Id(), amount.Id(), shortCode.Id()], after.Select(i => i!.Id()));
    }

    private static async Task<Guid> ServiceAsync(Shop shop, string name, int minutes, long priceCents) =>
        (await (await shop.Client.PostJsonAsync($"{shop.Path}/services", new { name, duration_minutes = minutes, price_cents = priceCents })).AssertStatusAsync(201)).Id();

    /// <summary>Books at a local (Nairobi) time, the clock set to the day before so it is in the future, then puts the clock back.</summary>
    private static async Task BookAsync(KaribuApp app, Shop shop, Guid customer, Guid service, string localStart)
    {
        var staff = (await (await shop.Client.GetAsync($"{shop.Path}/staff")).AssertStatusAsync(200))["data"]!.AsArray();
        var staffId = staff.Count > 0 ? staff[0]!.Id()
            : (await (await shop.Client.PostJsonAsync($"{shop.Path}/staff", new { name = "Wanjiru", phone_number = "0711 000 111" })).AssertStatusAsync(201)).Id();
        var now = app.Time.GetUtcNow();
        app.Time.Set(DateTimeOffset.Parse(localStart + ":00+03:00", System.Globalization.CultureInfo.InvariantCulture).AddDays(-1));
        await (await shop.Client.PostJsonAsync($"{shop.Path}/appointments", new { service_id = service, staff_id = staffId, start = localStart, customer_id = customer, override_availability = true })).AssertStatusAsync(201);
        app.Time.Set(now);
    }

    private static async Task<Shop> ArrangeAsync(KaribuApp app)
    {
        var tenant = await app.CreateAsync(Tenants.NairobiSalon());
        var client = app.Client(tenant.ApiKey);
        var connected = await (await client.PostJsonAsync($"{tenant.Path}/connect-mpesa", new { short_code = "600984" })).AssertStatusAsync(200);
        Assert.Equal("600984", connected.Str("short_code"));
        var token = connected.Str("sms_forwarding_token");
        Assert.True(token.Length >= 32);
        foreach (var name in new[] { "validation_url", "confirmation_url", "sms_forwarding_url" })
        {
            Assert.Contains($"/api/v1/webhooks/mpesa/{token}/", connected.Str(name), StringComparison.Ordinal);
        }

        return new Shop(client, tenant.Path, tenant.Id,
            new Uri(connected.Str("validation_url")).PathAndQuery,
            new Uri(connected.Str("confirmation_url")).PathAndQuery,
            new Uri(connected.Str("sms_forwarding_url")).PathAndQuery);
    }

    private static async Task<Guid> CustomerAsync(Shop shop, string phone, string name) =>
        (await (await shop.Client.PostJsonAsync($"{shop.Path}/customers", new { phone_number = phone, name })).AssertStatusAsync(201)).Id();

    private static async Task<JsonArray> PaymentsAsync(Shop shop, string query) =>
        (await (await shop.Client.GetAsync($"{shop.Path}/payments{query}")).AssertStatusAsync(200))["data"]!.AsArray();
}
