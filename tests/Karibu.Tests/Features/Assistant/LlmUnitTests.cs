using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Karibu.Features.Assistant.Llm;
using Karibu.Features.Assistant.Tools;
using Karibu.Features.Conversations;
using Karibu.Features.Organizations;
using Karibu.Features.Staff;
using NodaTime;

namespace Karibu.Tests.Features.Assistant;

/// <summary>The LLM engine's pure parts: schemas from C# types, argument checks, who gets which tool, time mentions, options.</summary>
public sealed class LlmUnitTests
{
    private static readonly string[] StaffTools =
        ["my_schedule", "business_schedule", "block_time", "mark_appointment", "register_walk_in", "customer_history", "add_staff"];

    [Fact]
    public void TheSchemaOfATool_IsGeneratedFromItsArgumentRecord_WithDescriptionsAndRequiredFields()
    {
        var schema = ToolSchema.For(typeof(CheckAvailabilityArguments));

        Assert.Equal("object", schema.GetProperty("type").GetString());
        Assert.Equal(["service_id", "date"], schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        var properties = schema.GetProperty("properties");
        Assert.Equal(["service_id", "date", "date_to", "part_of_day", "staff_id"], properties.EnumerateObject().Select(p => p.Name));
        Assert.Equal("string", properties.GetProperty("service_id").GetProperty("type").GetString());
        Assert.Equal("uuid", properties.GetProperty("service_id").GetProperty("format").GetString());
        Assert.StartsWith("The service's id", properties.GetProperty("service_id").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("The first day to look at, YYYY-MM-DD", properties.GetProperty("date").GetProperty("description").GetString(), StringComparison.Ordinal);
        var parts = properties.GetProperty("part_of_day").GetProperty("enum").EnumerateArray()
            .Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString());
        Assert.Equal(["morning", "afternoon", "evening"], parts);
        Assert.False(schema.TryGetProperty("$schema", out _));
    }

    [Fact]
    public void AToolWithoutArguments_StillHasAnEmptyPropertiesObject()
    {
        var schema = ToolSchema.For(typeof(NoArguments));
        Assert.Equal("object", schema.GetProperty("type").GetString());
        Assert.Empty(schema.GetProperty("properties").EnumerateObject());
    }

    private static ToolTurn Turn(Asker asker)
    {
        var organization = new Organization { Name = "Barbería", CountryCode = "MX", TimeZone = "America/Mexico_City", Locale = "es-MX", Currency = "MXN" };
        return new ToolTurn(asker, new Conversation(), new Message(), organization, DateTimeZoneProviders.Tzdb["America/Mexico_City"], Instant.FromUtc(2026, 11, 23, 14, 0));
    }

    private static AssistantTool<BookAppointmentArguments> EchoBooking() =>
        new("book_appointment", "test", a => a.IsCustomer, (a, _, _) => Task.FromResult(ToolResult.Ok(a)));

    [Theory]
    [InlineData("""{"service_id":"0196f1a2-0000-7000-8000-000000000001","date":"2026-11-24"}""")]
    [InlineData("""{"service_id":"corte","date":"2026-11-24","time":"16:00"}""")]
    [InlineData("""{"service_id":"0196f1a2-0000-7000-8000-000000000001","date":"2026-11-24","time":16}""")]
    [InlineData("""["0196f1a2-0000-7000-8000-000000000001","2026-11-24","16:00"]""")]
    [InlineData("\"service_id=1\"")]
    public async Task ArgumentsThatDoNotMatchTheRecord_AreAToolErrorForTheModel_NotAnException(string input)
    {
        using var json = JsonDocument.Parse(input);
        var result = await EchoBooking().InvokeAsync(json.RootElement, Turn(new Asker(Guid.NewGuid(), null)), default);
        Assert.True(result.IsError);
        Assert.Equal("invalid_arguments", JsonDocument.Parse(result.Content).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ArgumentsThatMatch_ReachTheFunctionTyped()
    {
        using var json = JsonDocument.Parse("""{"service_id":"0196f1a2-0000-7000-8000-000000000001","date":"2026-11-24","time":"16:00","extra":"ignored"}""");
        var result = await EchoBooking().InvokeAsync(json.RootElement, Turn(new Asker(Guid.NewGuid(), null)), default);
        Assert.False(result.IsError);
        Assert.Equal("""{"service_id":"0196f1a2-0000-7000-8000-000000000001","date":"2026-11-24","time":"16:00","staff_id":null,"notes":null}""", result.Content);
    }

    [Fact]
    public async Task AToolCalledBySomeoneItIsNotFor_IsRefusedOnTheServerToo()
    {
        using var json = JsonDocument.Parse("""{"service_id":"0196f1a2-0000-7000-8000-000000000001","date":"2026-11-24","time":"16:00"}""");
        var staff = new StaffMember { Name = "Luis", PhoneNumber = "+525590000001" };
        var result = await EchoBooking().InvokeAsync(json.RootElement, Turn(new Asker(null, staff)), default);
        Assert.True(result.IsError);
        Assert.Contains("not_allowed", result.Content, StringComparison.Ordinal);
    }

    [Fact]
    public void CustomersAreNeverOfferedStaffTools_EmployeesSeeEveryonesScheduleOnlyWithThePermission()
    {
        // The registry only needs its collaborators when a tool runs.
        var tools = new AssistantTools(null!, null!, null!, new Karibu.Features.Assistant.Tools.StaffTools(null!, null!));
        var customer = tools.For(new Asker(Guid.NewGuid(), null)).Select(t => t.Name).ToList();
        var employee = tools.For(new Asker(null, new StaffMember { Name = "Luis", PhoneNumber = "+525590000001" })).Select(t => t.Name).ToList();
        var trusted = tools.For(new Asker(null, new StaffMember { Name = "Ana", PhoneNumber = "+525590000002", Permissions = ["view_all_schedules"] })).Select(t => t.Name).ToList();
        var owner = tools.For(new Asker(null, new StaffMember { Name = "Don Ramón", PhoneNumber = "+525590000009", Role = StaffRole.Owner })).Select(t => t.Name).ToList();

        Assert.Empty(customer.Intersect(StaffTools));
        Assert.Contains("book_appointment", customer);
        Assert.Contains("cancel_appointment", customer);
        Assert.Contains("my_schedule", employee);
        Assert.DoesNotContain("business_schedule", employee);
        Assert.DoesNotContain("cancel_appointment", employee);
        Assert.Contains("business_schedule", trusted);
        Assert.Contains("business_schedule", owner);
        Assert.DoesNotContain("add_staff", employee);
        Assert.DoesNotContain("add_staff", trusted);
        Assert.Contains("add_staff", owner);
        // Every schema is an object the providers accept.
        Assert.All(tools.All, t => Assert.Equal("object", t.Schema.GetProperty("type").GetString()));
        Assert.All(tools.All, t => Assert.Matches("^[a-zA-Z0-9_-]{1,64}$", t.Name));
    }

    [Theory]
    [InlineData("Tengo libre a las 16:00 y a las 17:30.", "16:00", "17:30")]
    [InlineData("¿Te queda bien a las 4:30 p.m.?", "16:30")]
    [InlineData("I have 9:15 am or 4 pm", "09:15", "16:00")]
    [InlineData("Nafasi ipo saa 10h30", "10:30")]
    [InlineData("Corte $250.00, 30 min, el 2026-11-24. Llámanos al 55 1234 5678.")]
    public void TheTimesAReplyNames_AreFound(string text, params string[] expected)
    {
        var found = TimeMentions.Find(text).Select(readings => readings.First().ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected, found);
    }

    [Fact]
    public void OnlyATimeNoToolStated_IsFlagged_AndABareHourMatchesEitherHalfOfTheDay()
    {
        HashSet<LocalTime> known = [new(16, 0), new(9, 0), new(19, 0)];
        Assert.Null(TimeMentions.FirstUnknown("A las 4:00 o a las 16:00, abrimos 9:00-19:00", known));
        Assert.Equal(new LocalTime(19, 45), TimeMentions.FirstUnknown("Tengo 4:00 p.m. y 7:45 p.m.", known));
        Assert.Equal(new LocalTime(11, 0), TimeMentions.FirstUnknown("¿Qué tal 11:00?", known));
    }

    private static List<ValidationResult> Validate(LlmOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    [Fact]
    public void LlmOptions_AreOnlyCheckedOnceSomethingIsSet()
    {
        Assert.Empty(Validate(new LlmOptions()));
        Assert.False(new LlmOptions().IsConfigured);
        Assert.Empty(Validate(new LlmOptions { Provider = "anthropic", ApiKey = "k", Model = "claude-sonnet-4-5" }));
        Assert.Empty(Validate(new LlmOptions { Provider = "openai", BaseUrl = "http://127.0.0.1:11434/v1", Model = "qwen2.5:7b-instruct" }));
        Assert.Contains(Validate(new LlmOptions { Provider = "gpt", Model = "x" }), r => r.MemberNames.Contains("Provider"));
        Assert.Contains(Validate(new LlmOptions { Provider = "anthropic", Model = "x" }), r => r.MemberNames.Contains("ApiKey"));
        Assert.Contains(Validate(new LlmOptions { Provider = "openai" }), r => r.MemberNames.Contains("Model"));
        Assert.Contains(Validate(new LlmOptions { Provider = "openai", Model = "x", BaseUrl = "localhost:11434" }), r => r.MemberNames.Contains("BaseUrl"));
        Assert.Contains(Validate(new LlmOptions { Provider = "openai", Model = "x", TimeoutSeconds = 30, TurnTimeoutSeconds = 10 }), r => r.MemberNames.Contains("TurnTimeoutSeconds"));
    }
}
