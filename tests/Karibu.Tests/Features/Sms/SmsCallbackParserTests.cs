using Karibu.Features.Channels.Sms;
using Karibu.Tests.Infrastructure;
using static Karibu.Tests.Features.Sms.SmsTestSupport;

namespace Karibu.Tests.Features.Sms;

/// <summary>The callback parsers against every .form and .query fixture, and what they do with missing fields.</summary>
public sealed class SmsCallbackParserTests
{
    // ---------------------------------------------------------------- every fixture is covered

    [Fact]
    public void EveryFormAndQueryFixture_IsReadByAParser()
    {
        var files = Directory.GetFiles(Fixtures.Path("sms"), "*.form").Concat(Directory.GetFiles(Fixtures.Path("sms"), "*.query")).ToList();

        Assert.Equal(7, files.Count);
        foreach (var file in files.Select(Path.GetFileName))
        {
            var read = file!.EndsWith(".query", StringComparison.Ordinal)
                ? OnfonClient.ParseDeliveryReport(ReadQuery(file)) is not null
                : AfricasTalkingClient.ParseDeliveryReport(ReadForm(file)) is not null
                    || AfricasTalkingClient.ParseInbound(ReadForm(file)) is not null
                    || AfricasTalkingClient.ParseOptOut(ReadForm(file)) is not null;
            Assert.True(read, file);
        }
    }

    // ---------------------------------------------------------------- Africa's Talking delivery reports

    [Fact]
    public void AtDeliveryReport_Success_IsDelivered()
    {
        var report = AfricasTalkingClient.ParseDeliveryReport(ReadForm("africastalking-dlr-success.form"));

        Assert.Equal(new SmsDeliveryReport("ATXid_fabd5d394a3ca5c081d451d2bea93665", SmsDeliveryState.Delivered, null, "+254712345678"), report);
    }

    [Fact]
    public void AtDeliveryReport_Buffered_IsStillSent_ForTheSameMessage()
    {
        var buffered = AfricasTalkingClient.ParseDeliveryReport(ReadForm("africastalking-dlr-buffered.form"));
        var success = AfricasTalkingClient.ParseDeliveryReport(ReadForm("africastalking-dlr-success.form"));

        Assert.Equal(new SmsDeliveryReport("ATXid_fabd5d394a3ca5c081d451d2bea93665", SmsDeliveryState.Sent, null, "+254712345678"), buffered);
        Assert.Equal(buffered!.ProviderMessageId, success!.ProviderMessageId);
    }

    [Fact]
    public void AtDeliveryReport_Failed_CarriesTheFailureReason()
    {
        var report = AfricasTalkingClient.ParseDeliveryReport(ReadForm("africastalking-dlr-failed.form"));

        Assert.Equal(new SmsDeliveryReport("ATXid_2e63c8f8c3388459c65f8822445a119d", SmsDeliveryState.Failed, "UserDoesNotExist", "+254733000111"), report);
    }

    [Fact]
    public void AtDeliveryReport_Rejected_IsFailed_WithTheReason()
    {
        var report = AfricasTalkingClient.ParseDeliveryReport(ReadForm("africastalking-dlr-rejected.form"));

        Assert.Equal(new SmsDeliveryReport("ATXid_800aee138beca45c17741e96a4d00423", SmsDeliveryState.Failed, "UserInBlackList", "+254712000999"), report);
    }

    [Theory]
    [InlineData("Sent", "Sent", null)]
    [InlineData("Submitted", "Sent", null)]
    [InlineData("Buffered", "Sent", null)]
    [InlineData("Success", "Delivered", null)]
    [InlineData("success", "Delivered", null)]
    [InlineData("Rejected", "Failed", "Rejected")]
    [InlineData("Failed", "Failed", "Failed")]
    [InlineData("AbsentSubscriber", "Failed", "AbsentSubscriber")]
    [InlineData("Expired", "Failed", "Expired")]
    public void AtDeliveryReport_EveryDocumentedStatus_IsMapped(string status, string state, string? reason)
    {
        var report = AfricasTalkingClient.ParseDeliveryReport(ParseForm($"id=ATXid_1&status={status}&phoneNumber=%2B254712345678&networkCode=63902"));

        Assert.Equal(new SmsDeliveryReport("ATXid_1", Enum.Parse<SmsDeliveryState>(state), reason, "+254712345678"), report);
    }

    [Theory]
    [InlineData("")]
    [InlineData("status=Success&phoneNumber=%2B254712345678")]
    [InlineData("id=ATXid_1&phoneNumber=%2B254712345678")]
    [InlineData("id=&status=Success")]
    [InlineData("id=ATXid_1&status=Teleported")]
    public void AtDeliveryReport_WithoutIdOrAKnownStatus_IsNull(string form) =>
        Assert.Null(AfricasTalkingClient.ParseDeliveryReport(ParseForm(form)));

    [Fact]
    public void AtDeliveryReport_WithoutAPhoneNumber_StillParses() =>
        Assert.Equal(new SmsDeliveryReport("ATXid_1", SmsDeliveryState.Delivered, null, null),
            AfricasTalkingClient.ParseDeliveryReport(ParseForm("id=ATXid_1&status=Success")));

    [Fact]
    public void AtDeliveryReport_FieldNames_AreReadIgnoringCase() =>
        Assert.Equal(new SmsDeliveryReport("ATXid_1", SmsDeliveryState.Failed, "DeliveryFailure", "+254712345678"),
            AfricasTalkingClient.ParseDeliveryReport(ParseForm("ID=ATXid_1&Status=Failed&PhoneNumber=%2B254712345678&FailureReason=DeliveryFailure")));

    // ---------------------------------------------------------------- Africa's Talking incoming and opt-out

    [Fact]
    public void AtInbound_TheFixture_IsReadWithItsDateAsUtc()
    {
        var inbound = AfricasTalkingClient.ParseInbound(ReadForm("africastalking-incoming.form"));

        Assert.Equal(
            new SmsInbound("5d1f0a6b-7c1e-4b1a-9d0e-2f3c4b5a6d7e", "+254712345678", "22384", "STOP",
                new DateTimeOffset(2025, 10, 30, 14, 40, 12, TimeSpan.Zero), "SampleLinkId123"),
            inbound);
    }

    [Theory]
    [InlineData("2025-10-30 14:40:12", "2025-10-30T14:40:12+00:00")]
    [InlineData("2025-10-30T14:40:12.493Z", "2025-10-30T14:40:12.493+00:00")]
    [InlineData("2025-10-30 17:40:12+03:00", "2025-10-30T14:40:12+00:00")]
    [InlineData("2025-10-30T14:40:12", "2025-10-30T14:40:12+00:00")]
    public void AtInbound_DateForms_AreRead(string date, string expected)
    {
        var inbound = AfricasTalkingClient.ParseInbound(ParseForm($"id=1&from=%2B254712345678&to=22384&text=Hi&date={Uri.EscapeDataString(date)}"));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), inbound!.ReceivedAt);
        Assert.Equal(TimeSpan.Zero, inbound.ReceivedAt!.Value.Offset);
    }

    [Theory]
    [InlineData("date=yesterday&")]
    [InlineData("date=30%2F10%2F2025+14%3A40&")]
    [InlineData("")]
    public void AtInbound_AnUnreadableOrMissingDate_IsNull_ButTheMessageIsKept(string date)
    {
        var inbound = AfricasTalkingClient.ParseInbound(ParseForm($"{date}id=1&from=%2B254712345678&to=22384&text=Habari+yako"));

        Assert.NotNull(inbound);
        Assert.Null(inbound.ReceivedAt);
        Assert.Null(inbound.LinkId);
        Assert.Equal("Habari yako", inbound.Text);
    }

    [Fact]
    public void AtInbound_TheTextIsKeptExactly_EvenEmpty()
    {
        Assert.Equal("  Asante’  ", AfricasTalkingClient.ParseInbound(ParseForm("id=1&from=%2B2547&to=22384&text=++Asante%E2%80%99++"))!.Text);
        Assert.Equal("", AfricasTalkingClient.ParseInbound(ParseForm("id=1&from=%2B2547&to=22384&text="))!.Text);
    }

    [Theory]
    [InlineData("from=%2B254712345678&to=22384&text=Hi")]
    [InlineData("id=1&to=22384&text=Hi")]
    [InlineData("id=1&from=%2B254712345678&text=Hi")]
    [InlineData("id=1&from=%2B254712345678&to=22384")]
    public void AtInbound_WithoutIdFromToOrText_IsNull(string form) =>
        Assert.Null(AfricasTalkingClient.ParseInbound(ParseForm(form)));

    [Fact]
    public void AtOptOut_TheFixture_IsRead() =>
        Assert.Equal(("MAMADUKA", "+254712345678"), AfricasTalkingClient.ParseOptOut(ReadForm("africastalking-optout.form")));

    [Theory]
    [InlineData("senderId=MAMADUKA")]
    [InlineData("phoneNumber=%2B254712345678")]
    [InlineData("senderId=&phoneNumber=%2B254712345678")]
    [InlineData("")]
    public void AtOptOut_WithAFieldMissing_IsNull(string form) =>
        Assert.Null(AfricasTalkingClient.ParseOptOut(ParseForm(form)));

    // ---------------------------------------------------------------- Onfon delivery reports

    [Fact]
    public void OnfonDeliveryReport_TheFixture_IsDelivered_WithAnE164Number()
    {
        var report = OnfonClient.ParseDeliveryReport(ReadQuery("onfon-dlr-callback.query"));

        Assert.Equal(new SmsDeliveryReport("a3f1c9e2-6b7d-4e11-9f20-8c5d4b3a2e10", SmsDeliveryState.Delivered, null, "+254712345678"), report);
    }

    [Theory]
    [InlineData("DELIVRD", "000", "Delivered", null)]
    [InlineData("delivrd", null, "Delivered", null)]
    [InlineData("UNDELIV", "001", "Failed", "UNDELIV (error 001)")]
    [InlineData("EXPIRED", "000", "Failed", "EXPIRED")]
    [InlineData("REJECTD", null, "Failed", "REJECTD")]
    [InlineData("DELETED", "", "Failed", "DELETED")]
    [InlineData("ENROUTE", "000", "Sent", null)]
    [InlineData("ACCEPTD", "000", "Sent", null)]
    public void OnfonDeliveryReport_SmppStatuses_AreMapped(string status, string? errorCode, string state, string? reason)
    {
        var query = $"messageId=m-1&mobile=254712345678&status={status}" + (errorCode is null ? "" : $"&errorCode={errorCode}");

        Assert.Equal(new SmsDeliveryReport("m-1", Enum.Parse<SmsDeliveryState>(state), reason, "+254712345678"), OnfonClient.ParseDeliveryReport(ParseForm(query)));
    }

    [Fact]
    public void OnfonDeliveryReport_OtherIntegratorsSpelling_IsReadIgnoringCase() =>
        Assert.Equal(new SmsDeliveryReport("m-2", SmsDeliveryState.Delivered, null, null),
            OnfonClient.ParseDeliveryReport(ParseForm("MessageId=m-2&Status=DELIVRD&DeliveryTime=2025-10-30+14%3A34")));

    [Theory]
    [InlineData("")]
    [InlineData("mobile=254712345678&status=DELIVRD")]
    [InlineData("messageId=m-1&mobile=254712345678")]
    [InlineData("messageId=m-1&status=LOST_IN_SPACE")]
    public void OnfonDeliveryReport_WithoutIdOrAKnownStatus_IsNull(string query) =>
        Assert.Null(OnfonClient.ParseDeliveryReport(ParseForm(query)));
}
