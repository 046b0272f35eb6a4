using System.Text.Json.Nodes;
using Karibu.Data;
using Karibu.Features.Payments;

namespace Karibu.Tests.Features.Payments;

/// <summary>What a review item stores: always JSON that parses, within the audit column.</summary>
public sealed class PaymentReviewTests
{
    [Fact]
    public void Data_KeepsTheErrorsAndTheStartOfTheBody()
    {
        var json = JsonNode.Parse(PaymentReview.Data(new Dictionary<string, string[]> { ["TransAmount"] = ["'1.005' is not an amount."] }, "{\"TransID\":\"TK60ABCD1Z\"}"))!;

        Assert.Equal("'1.005' is not an amount.", json["errors"]!["TransAmount"]![0]!.GetValue<string>());
        Assert.Equal("{\"TransID\":\"TK60ABCD1Z\"}", json["body"]!.GetValue<string>());
    }

    [Theory]
    [InlineData('a')]
    [InlineData('"')] // escaped, each takes two characters
    [InlineData('\u0001')] // escaped as \u0001, six characters
    public void Data_CutsALongBodyToFitTheColumn_AndStillParses(char c)
    {
        var body = new string(c, 5000);

        var data = PaymentReview.Data(new Dictionary<string, string[]> { ["text"] = [new string('x', 400)] }, body);

        Assert.InRange(data.Length, 1, Limits.Text);
        var json = JsonNode.Parse(data)!;
        var kept = json["body"]!.GetValue<string>();
        Assert.True(kept.Length > 0 && kept.Length <= PaymentReview.MaxBody);
        Assert.All(kept, k => Assert.Equal(c, k));
    }

    [Fact]
    public void Data_WithTooManyErrorsForTheColumn_StillParses()
    {
        var errors = Enumerable.Range(0, 50).ToDictionary(i => $"field{i}", _ => new[] { new string('e', 500) });

        var data = PaymentReview.Data(errors, "body");

        Assert.True(data.Length <= Limits.Text);
        Assert.NotNull(JsonNode.Parse(data));
    }
}
