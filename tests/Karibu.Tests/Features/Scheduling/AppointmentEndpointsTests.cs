using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Karibu.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Tests.Features.Scheduling;

/// <summary>
/// The appointments and slots API over HTTP, on the real app with a fixed clock: a barbershop in
/// Mexico City (UTC-06:00 all year) with the default hours (Mon–Fri 09:00–19:00, Sat 09:00–15:00),
/// a 30-minute "Corte" and the default settings (15-minute step, 60 minutes' notice, 60 days ahead).
/// Unless a test moves it, "now" is Monday 2026-11-23 08:00 local.
/// </summary>
public sealed class AppointmentEndpointsTests
{
    private static readonly TimeSpan Offset = TimeSpan.FromHours(-6);

    /// <summary>Monday 2026-11-23 08:00 in Mexico City.</summary>
    private static readonly DateTimeOffset MondayMorning = new(2026, 11, 23, 14, 0, 0, TimeSpan.Zero);

    // ---------------------------------------------------------------- slots

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Slots_ForAWeekday_FollowBusinessHoursInTheBusinessOffset(string provider)
    {
        await using var shop = await Shop.OpenAsync(provider);

        var body = await shop.SlotsAsync("date_from=2026-11-23");

        Assert.Equal("America/Mexico_City", body.Str("timezone"));
        var slots = body["slots"]!.AsArray();
        Assert.Equal(39, slots.Count); // 09:00 … 18:30, every 15 minutes; the last one ends at closing time.
        Assert.Equal("2026-11-23T09:00:00-06:00", slots[0]!.Str("start"));
        Assert.Equal("2026-11-23T09:30:00-06:00", slots[0]!.Str("end"));
        Assert.Equal("2026-11-23T18:30:00-06:00", slots[^1]!.Str("start"));
        Assert.Equal("2026-11-23T19:00:00-06:00", slots[^1]!.Str("end"));
        Assert.All(slots, slot =>
        {
            var s = slot!;
            Assert.EndsWith("-06:00", s.Str("start"), StringComparison.Ordinal);
            Assert.EndsWith("-06:00", s.Str("end"), StringComparison.Ordinal);
            Assert.Equal(TimeSpan.FromMinutes(30), DateTimeOffset.Parse(s.Str("end"), CultureInfo.InvariantCulture) - DateTimeOffset.Parse(s.Str("start"), CultureInfo.InvariantCulture));
            Assert.Equal(shop.Luis, Guid.Parse(s.Str("staff_id")));
        });
        var starts = Starts(body);
        Assert.All(starts.Zip(starts.Skip(1)), pair => Assert.Equal(TimeSpan.FromMinutes(15), pair.Second - pair.First));
    }

    [Fact]
    public async Task Slots_OnSaturdayAndSunday_FollowThoseDaysHours()
    {
        await using var shop = await Shop.OpenAsync();

        var body = await shop.SlotsAsync("date_from=2026-11-28&date_to=2026-11-29");

        var starts = Starts(body);
        Assert.Equal(23, starts.Count); // Saturday 09:00 … 14:30; Sunday is closed.
        Assert.Equal(At(28, 9, 0), starts[0]);
        Assert.Equal(At(28, 14, 30), starts[^1]);
        Assert.Empty((await shop.SlotsAsync("date_from=2026-11-29"))["slots"]!.AsArray());
    }

    [Fact]
    public async Task Slots_WithCustomBusinessHours_UseThem()
    {
        await using var app = await KaribuApp.StartAsync();
        app.Time.Set(MondayMorning);
        var hours = new Dictionary<string, object[]> { ["mon"] = [new { open = "10:00", close = "12:00" }, new { open = "16:00", close = "17:00" }] };
        await using var shop = await Shop.OpenAsync(app, WithHours(Tenants.MexicoBarbershop(), hours), ownsApp: false);

        var starts = Starts(await shop.SlotsAsync("date_from=2026-11-23&date_to=2026-11-24"));

        Assert.Equal(
            [At(23, 10, 0), At(23, 10, 15), At(23, 10, 30), At(23, 10, 45), At(23, 11, 0), At(23, 11, 15), At(23, 11, 30), At(23, 16, 0), At(23, 16, 15), At(23, 16, 30)],
            starts); // Tuesday is not listed, so it is closed.
    }

    [Fact]
    public async Task Slots_RespectTheMinimumNoticeFromNow()
    {
        await using var shop = await Shop.OpenAsync();
        shop.App.Time.Set(new DateTimeOffset(2026, 11, 23, 10, 5, 0, Offset));

        var starts = Starts(await shop.SlotsAsync("date_from=2026-11-23"));

        Assert.Equal(At(23, 11, 15), starts[0]); // 10:05 + 60 minutes, on the next 15-minute step.
        Assert.Equal(At(23, 18, 30), starts[^1]);

        shop.App.Time.Set(new DateTimeOffset(2026, 11, 23, 11, 0, 0, Offset));
        Assert.Equal(At(23, 12, 0), Starts(await shop.SlotsAsync("date_from=2026-11-23"))[0]);

        // A day already gone has nothing left.
        shop.App.Time.Set(new DateTimeOffset(2026, 11, 24, 9, 0, 0, Offset));
        Assert.Empty(Starts(await shop.SlotsAsync("date_from=2026-11-23")));
    }

    [Fact]
    public async Task Slots_StepByTheSlotInterval()
    {
        await using var shop = await Shop.OpenAsync();
        await (await shop.Client.PatchJsonAsync($"{shop.Tenant.Path}/settings", new { slot_interval_minutes = 30 })).AssertStatusAsync(200);

        var starts = Starts(await shop.SlotsAsync("date_from=2026-11-23"));

        Assert.Equal(20, starts.Count); // 09:00, 09:30, … 18:30.
        Assert.All(starts, s => Assert.Equal(0, s.Minute % 30));
        Assert.Equal(At(23, 18, 30), starts[^1]);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Slots_WithAndWithoutStaffId_ListThatStaffOrEachStartOnce(string provider)
    {
        await using var shop = await Shop.OpenAsync(provider, staff: 2);
        await shop.BookedAsync(At(23, 10, 0), shop.Luis);

        var luis = await shop.SlotsAsync($"date_from=2026-11-23&staff_id={shop.Luis}");
        Assert.All(luis["slots"]!.AsArray(), s => Assert.Equal(shop.Luis, Guid.Parse(s!.Str("staff_id"))));
        Assert.DoesNotContain(At(23, 10, 0), Starts(luis));

        var ana = await shop.SlotsAsync($"date_from=2026-11-23&staff_id={shop.Ana}");
        Assert.All(ana["slots"]!.AsArray(), s => Assert.Equal(shop.Ana, Guid.Parse(s!.Str("staff_id"))));
        Assert.Equal(39, Starts(ana).Count);

        var any = await shop.SlotsAsync("date_from=2026-11-23");
        var starts = Starts(any);
        Assert.Equal(39, starts.Count);
        Assert.Equal(starts.Distinct().Count(), starts.Count);
        Assert.Equal(starts.Order().ToList(), starts);
        // Luis is busy at 10:00, so Ana takes that time.
        var ten = any["slots"]!.AsArray().Single(s => Start(s!) == At(23, 10, 0))!;
        Assert.Equal(shop.Ana, Guid.Parse(ten.Str("staff_id")));
    }

    [Fact]
    public async Task Slots_ABookedTime_DisappearsForThatStaff()
    {
        await using var shop = await Shop.OpenAsync();
        await shop.BookedAsync(At(23, 10, 0));

        var starts = Starts(await shop.SlotsAsync("date_from=2026-11-23"));

        Assert.Contains(At(23, 9, 30), starts);
        Assert.DoesNotContain(At(23, 9, 45), starts); // would run into 10:00
        Assert.DoesNotContain(At(23, 10, 0), starts);
        Assert.DoesNotContain(At(23, 10, 15), starts);
        Assert.Contains(At(23, 10, 30), starts);
        Assert.Equal(36, starts.Count);
    }

    [Fact]
    public async Task Slots_ServiceBufferAfter_BlocksTheFollowingSlots()
    {
        await using var shop = await Shop.OpenAsync();
        var tinte = await shop.ServiceAsync("Tinte", 30, 40000, bufferAfterMinutes: 15);
        await shop.BookedAsync(At(23, 10, 0), serviceId: tinte);

        var starts = Starts(await shop.SlotsAsync($"service_id={tinte}&date_from=2026-11-23", withService: false));

        Assert.Contains(At(23, 9, 15), starts); // ends 09:45, its own buffer ends at 10:00
        Assert.DoesNotContain(At(23, 9, 30), starts); // its buffer would run into 10:00
        Assert.DoesNotContain(At(23, 10, 15), starts);
        Assert.DoesNotContain(At(23, 10, 30), starts); // the 10:00 appointment's buffer lasts until 10:45
        Assert.Contains(At(23, 10, 45), starts);

        // The buffer holds for other services of the same staff member too.
        var corte = Starts(await shop.SlotsAsync("date_from=2026-11-23"));
        Assert.DoesNotContain(At(23, 10, 30), corte);
        Assert.Contains(At(23, 10, 45), corte);
    }

    [Fact]
    public async Task Slots_AWholeDayException_RemovesThatDay()
    {
        await using var shop = await Shop.OpenAsync(staff: 2);
        await (await shop.Client.PostJsonAsync($"{shop.Tenant.Path}/availability", new { staff_id = shop.Luis, type = "exception", exception_date = "2026-11-24" }))
            .AssertStatusAsync(201);

        var luis = Starts(await shop.SlotsAsync($"date_from=2026-11-23&date_to=2026-11-25&staff_id={shop.Luis}"));
        Assert.Equal(39, luis.Count(s => s.Day == 23));
        Assert.DoesNotContain(luis, s => s.Day == 24);
        Assert.Equal(39, luis.Count(s => s.Day == 25));

        // Ana still works that day, and booking Luis then is refused.
        var any = await shop.SlotsAsync("date_from=2026-11-24");
        Assert.Equal(39, any["slots"]!.AsArray().Count);
        Assert.All(any["slots"]!.AsArray(), s => Assert.Equal(shop.Ana, Guid.Parse(s!.Str("staff_id"))));
        await (await shop.BookAsync(At(24, 10, 0), shop.Luis)).AssertProblemAsync(409);
    }

    [Fact]
    public async Task Slots_FollowStaffWeeklyHoursAndPartialExceptions()
    {
        await using var shop = await Shop.OpenAsync();
        async Task RuleAsync(object rule) =>
            await (await shop.Client.PostJsonAsync($"{shop.Tenant.Path}/availability", rule)).AssertStatusAsync(201);

        // Luis works Monday 12:00–20:00 (the shop closes at 19:00) with a lunch break, and nothing else.
        await RuleAsync(new { staff_id = shop.Luis, type = "recurring", day_of_week = 0, start_time = "12:00", end_time = "20:00" });
        await RuleAsync(new { staff_id = shop.Luis, type = "recurring", day_of_week = 0, start_time = "14:00", end_time = "15:00", is_available = false });
        // On Monday 30 he leaves at 17:00; on Sunday 29 he opens specially from 10:00 to 11:00.
        await RuleAsync(new { staff_id = shop.Luis, type = "exception", exception_date = "2026-11-30", start_time = "17:00", end_time = "19:00" });
        await RuleAsync(new { staff_id = shop.Luis, type = "exception", exception_date = "2026-11-29", start_time = "10:00", end_time = "11:00", is_available = true });

        var monday = Starts(await shop.SlotsAsync("date_from=2026-11-23"));
        Assert.Equal(At(23, 12, 0), monday[0]);
        Assert.Contains(At(23, 13, 30), monday);
        Assert.DoesNotContain(At(23, 13, 45), monday); // would run into lunch
        Assert.DoesNotContain(At(23, 14, 30), monday);
        Assert.Equal(At(23, 15, 0), monday.First(s => s > At(23, 13, 30)));
        Assert.Equal(At(23, 18, 30), monday[^1]); // the business closes at 19:00

        Assert.Empty(Starts(await shop.SlotsAsync("date_from=2026-11-24"))); // no rule for Tuesday
        Assert.Equal([At(29, 10, 0), At(29, 10, 15), At(29, 10, 30)], Starts(await shop.SlotsAsync("date_from=2026-11-29")));
        Assert.Equal(At(30, 16, 30), Starts(await shop.SlotsAsync("date_from=2026-11-30"))[^1]);

        await shop.BookedAsync(At(29, 10, 30));
        await (await shop.BookAsync(At(23, 14, 0))).AssertProblemAsync(409);
    }

    [Fact]
    public async Task Slots_LeaveOutStaffWhoLeft()
    {
        await using var shop = await Shop.OpenAsync(staff: 2);
        await (await shop.Client.DeleteAsync($"{shop.Tenant.Path}/staff/{shop.Ana}")).AssertStatusAsync(204);

        var any = await shop.SlotsAsync("date_from=2026-11-23");

        Assert.All(any["slots"]!.AsArray(), s => Assert.Equal(shop.Luis, Guid.Parse(s!.Str("staff_id"))));
        await (await shop.GetSlotsAsync($"date_from=2026-11-23&staff_id={shop.Ana}")).AssertProblemAsync(409);
        await (await shop.BookAsync(At(23, 10, 0), shop.Ana)).AssertProblemAsync(409);
    }

    [Fact]
    public async Task Slots_BeyondTheBookingHorizon_AreNotOffered()
    {
        await using var shop = await Shop.OpenAsync();

        var starts = Starts(await shop.SlotsAsync("date_from=2027-01-21&date_to=2027-01-26"));

        Assert.NotEmpty(starts);
        Assert.Equal(new DateTimeOffset(2027, 1, 22, 18, 30, 0, Offset), starts[^1]); // today + 60 days is the last day
        Assert.Empty(Starts(await shop.SlotsAsync("date_from=2027-01-25")));
    }

    // ---------------------------------------------------------------- slots: bad input

    [Fact]
    public async Task Slots_WithoutServiceIdAndDateFrom_Returns400NamingBoth()
    {
        await using var shop = await Shop.OpenAsync();

        var body = await (await shop.Client.GetAsync($"{shop.Tenant.Path}/availability/slots")).AssertProblemAsync(400);

        var errors = body["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("service_id"), errors.ToJsonString());
        Assert.True(errors.ContainsKey("date_from"), errors.ToJsonString());
        await (await shop.Client.GetAsync($"{shop.Tenant.Path}/availability/slots?service_id={shop.Corte}")).AssertFieldErrorAsync("date_from");
        await (await shop.Client.GetAsync($"{shop.Tenant.Path}/availability/slots?date_from=2026-11-23")).AssertFieldErrorAsync("service_id");
    }

    [Fact]
    public async Task Slots_WhenDateToIsBeforeDateFrom_Returns400()
    {
        await using var shop = await Shop.OpenAsync();

        await (await shop.GetSlotsAsync("date_from=2026-11-24&date_to=2026-11-23")).AssertFieldErrorAsync("date_to");
    }

    [Fact]
    public async Task Slots_OverMoreThan93Days_Returns400()
    {
        await using var shop = await Shop.OpenAsync();

        await (await shop.GetSlotsAsync("date_from=2026-11-23&date_to=2027-02-24")).AssertFieldErrorAsync("date_to"); // 94 days
        await (await shop.GetSlotsAsync("date_from=2026-11-23&date_to=2030-01-01")).AssertFieldErrorAsync("date_to");
        await (await shop.GetSlotsAsync("date_from=2026-11-23&date_to=2027-02-23")).AssertStatusAsync(200); // 93 days
    }

    [Fact]
    public async Task Slots_ForAnImpossibleDate_Returns400()
    {
        await using var shop = await Shop.OpenAsync();

        await (await shop.GetSlotsAsync("date_from=2026-02-30")).AssertFieldErrorAsync("date_from");
        await (await shop.GetSlotsAsync("date_from=2026-11-23&date_to=2026-11-31")).AssertFieldErrorAsync("date_to");
        await (await shop.GetSlotsAsync("date_from=23/11/2026")).AssertFieldErrorAsync("date_from");
        await (await shop.GetSlotsAsync("date_from=2026-11-23T10:00")).AssertFieldErrorAsync("date_from");
    }

    [Fact]
    public async Task Slots_ForDatesAtTheEdgesOfTheCalendar_Return200Or400NeverA500()
    {
        await using var shop = await Shop.OpenAsync();

        foreach (var query in new[] { "date_from=9999-12-31", "date_from=9999-12-30&date_to=9999-12-31", "date_from=0001-01-01", "date_from=0001-01-01&date_to=0001-01-02" })
        {
            var response = await shop.GetSlotsAsync(query);
            if ((int)response.StatusCode == 200)
            {
                Assert.Empty(Starts(await response.ReadJsonAsync()));
            }
            else
            {
                await response.AssertProblemAsync(400);
            }
        }
    }

    [Fact]
    public async Task Slots_ForAnUnknownService_Returns404()
    {
        await using var shop = await Shop.OpenAsync();

        var body = await (await shop.Client.GetAsync($"{shop.Tenant.Path}/availability/slots?service_id={Guid.NewGuid()}&date_from=2026-11-23"))
            .AssertProblemAsync(404);

        Assert.True(body["errors"]!.AsObject().ContainsKey("service_id"), body.ToJsonString());
    }

    [Fact]
    public async Task Slots_ForADeletedService_Returns409()
    {
        await using var shop = await Shop.OpenAsync();
        await (await shop.Client.DeleteAsync($"{shop.Tenant.Path}/services/{shop.Corte}")).AssertStatusAsync(204);

        await (await shop.GetSlotsAsync("date_from=2026-11-23")).AssertProblemAsync(409);
        await (await shop.BookAsync(At(23, 10, 0))).AssertProblemAsync(409);
    }

    [Fact]
    public async Task Slots_ForStaffWhoDoNotOfferTheService_Returns409()
    {
        await using var shop = await Shop.OpenAsync();
        var tinte = await shop.ServiceAsync("Tinte", 60, 40000);
        var colorist = (await (await shop.Client.PostJsonAsync($"{shop.Tenant.Path}/staff", new { name = "Rosa", phone_number = "55 3333 4444", service_ids = new[] { tinte } }))
            .AssertStatusAsync(201)).Id();

        await (await shop.GetSlotsAsync($"date_from=2026-11-23&staff_id={colorist}")).AssertProblemAsync(409);
        await (await shop.BookAsync(At(23, 10, 0), colorist)).AssertProblemAsync(409);

        // Without staff_id she is simply not among those offering a Corte.
        var any = await shop.SlotsAsync("date_from=2026-11-23");
        Assert.All(any["slots"]!.AsArray(), s => Assert.Equal(shop.Luis, Guid.Parse(s!.Str("staff_id"))));
    }

    [Fact]
    public async Task Slots_ForAnUnknownStaffMember_Returns404()
    {
        await using var shop = await Shop.OpenAsync();

        await (await shop.GetSlotsAsync($"date_from=2026-11-23&staff_id={Guid.NewGuid()}")).AssertProblemAsync(404);
    }

    // ---------------------------------------------------------------- create

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Book_ByCustomerId_Returns201WithTheAppointment(string provider)
    {
        await using var shop = await Shop.OpenAsync(provider);
        var customer = await shop.CustomerAsync("55 2222 3333", "Ana");

        var response = await shop.Client.PostJsonAsync($"{shop.Tenant.Path}/appointments", new
        {
            service_id = shop.Corte, start = "2026-11-23T10:00:00-06:00", customer_id = customer, notes = "Degradado",
        });

        var body = await response.AssertStatusAsync(201);
        Assert.Equal($"{shop.Tenant.Path}/appointments/{body.Id()}", response.Headers.Location?.OriginalString);
        Assert.Equal(shop.Tenant.Id, Guid.Parse(body.Str("organization_id")));
        Assert.Equal(customer, Guid.Parse(body.Str("customer_id")));
        Assert.Equal(shop.Luis, Guid.Parse(body.Str("staff_id")));
        Assert.Equal(shop.Corte, Guid.Parse(body.Str("service_id")));
        Assert.Equal("2026-11-23T10:00:00-06:00", body.Str("start"));
        Assert.Equal("2026-11-23T10:30:00-06:00", body.Str("end"));
        Assert.Equal("confirmed", body.Str("status"));
        Assert.Equal("api", body.Str("source"));
        Assert.Equal("Degradado", body.Str("notes"));
        Assert.Null(body["cancellation_reason"]);
        Assert.Equal(25000, body["price_cents"]!.GetValue<long>());
        Assert.Equal("MXN", body.Str("currency"));
        Assert.Equal(MondayMorning, DateTimeOffset.Parse(body.Str("created_at"), CultureInfo.InvariantCulture));
        Assert.EndsWith("-06:00", body.Str("created_at"), StringComparison.Ordinal);
        Assert.EndsWith("-06:00", body.Str("updated_at"), StringComparison.Ordinal);
        Assert.All(body.AsObject(), p => Assert.Equal(p.Key.ToLowerInvariant(), p.Key));

        var fetched = await (await shop.Client.GetAsync(response.Headers.Location!.OriginalString)).AssertStatusAsync(200);
        Assert.Equal(body.ToJsonString(), fetched.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Book_ByNationalPhone_CreatesTheCustomerInE164AndReusesIt(string provider)
    {
        await using var shop = await Shop.OpenAsync(provider);

        var first = await (await shop.Client.PostJsonAsync($"{shop.Tenant.Path}/appointments", new
        {
            service_id = shop.Corte, start = "2026-11-23T10:00", customer_phone = "55 8765 4321", customer_name = "Marta López",
        })).AssertStatusAsync(201);
        var second = await (await shop.Client.PostJsonAsync($"{shop.Tenant.Path}/appointments", new
        {
            service_id = shop.Corte, start = "2026-11-30T10:00", customer_phone = "+52 55 8765 4321",
        })).AssertStatusAsync(201);

        var customers = await (await shop.Client.GetAsync($"{shop.Tenant.Path}/customers?q=8765")).AssertStatusAsync(200);
        var customer = Assert.Single(customers["data"]!.AsArray())!;
        Assert.Equal("+525587654321", customer.Str("phone_number"));
        Assert.Equal("Marta López", customer.Str("name"));
        Assert.Equal(customer.Id(), Guid.Parse(first.Str("customer_id")));
        Assert.Equal(customer.Id(), Guid.Parse(second.Str("customer_id")));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Book_ByTheSameNewPhoneTwiceAtOnce_MakesOneCustomer(string provider)
    {
        await using var shop = await Shop.OpenAsync(provider);

        for (var day = 23; day <= 27; day++)
        {
            var phone = $"55 4000 10{day}";
            var responses = await Task.WhenAll(
                shop.Client.PostJsonAsync($"{shop.Tenant.Path}/appointments", new { service_id = shop.Corte, start = Rfc3339(At(day, 10, 0)), customer_phone = phone }),
                shop.Client.PostJsonAsync($"{shop.Tenant.Path}/appointments", new { service_id = shop.Corte, start = Rfc3339(At(day, 11, 0)), customer_phone = phone }));

            var customers = new List<string>();
            foreach (var response in responses)
            {
                customers.Add((await response.AssertStatusAsync(201)).Str("customer_id"));
            }

            Assert.Single(customers.Distinct());
        }
    }

    [Fact]
    public async Task Book_WithAnInvalidPhone_Returns400()
    {
        await using var shop = await Shop.OpenAsync();

        var response = await shop.Client.PostJsonAsync($"{shop.Tenant.Path}/appointments", new { service_id = shop.Corte, start = "2026-11-23T10:00", customer_phone = "12" });

        await response.AssertFieldErrorAsync("customer_phone");
        Assert.Empty((await (await shop.Client.GetAsync($"{shop.Tenant.Path}/appointments")).AssertStatusAsync(200))["data"]!.AsArray());
    }

    [Fact]
    public async Task Book_WithAndWithoutOffset_MeanTheSameInstant()
    {
        await using var shop = await Shop.OpenAsync();

        var local = await (await shop.BookAsync("2026-11-23T10:00")).AssertStatusAsync(201);
        Assert.Equal("2026-11-23T10:00:00-06:00", local.Str("start"));

        // The same instant written in UTC, and with the offset, is the same (taken) time.
        await (await shop.BookAsync("2026-11-23T16:00:00Z")).AssertProblemAsync(409);
        await (await shop.BookAsync("2026-11-23T10:00:00-06:00")).AssertProblemAsync(409);

        var withOffset = await (await shop.BookAsync("2026-11-23T17:00:00Z")).AssertStatusAsync(201);
        Assert.Equal("2026-11-23T11:00:00-06:00", withOffset.Str("start"));
        var noSeconds = await (await shop.BookAsync("2026-11-23T12:00-06:00")).AssertStatusAsync(201);
        Assert.Equal("2026-11-23T12:00:00-06:00", noSeconds.Str("start"));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Book_WhenTheTimeIsTaken_Returns409(string provider)
    {
        await using var shop = await Shop.OpenAsync(provider, staff: 2);
        await shop.BookedAsync(At(23, 10, 0), shop.Luis);

        await (await shop.BookAsync(At(23, 10, 0), shop.Luis)).AssertProblemAsync(409);
        await (await shop.BookAsync(At(23, 10, 15), shop.Luis)).AssertProblemAsync(409); // overlaps
        await (await shop.BookAsync(At(23, 9, 45), shop.Luis)).AssertProblemAsync(409); // overlaps

        // Any staff: Ana takes it; then nobody is left.
        var second = await shop.BookedAsync(At(23, 10, 0));
        Assert.Equal(shop.Ana, Guid.Parse(second.Str("staff_id")));
        var full = await (await shop.BookAsync(At(23, 10, 0))).AssertProblemAsync(409);
        Assert.Contains("10:00", full.Str("detail"), StringComparison.Ordinal);

        // Back to back is fine.
        await shop.BookedAsync(At(23, 10, 30), shop.Luis);
        await shop.BookedAsync(At(23, 9, 30), shop.Luis);
        var all = await (await shop.Client.GetAsync($"{shop.Tenant.Path}/appointments")).AssertStatusAsync(200);
        Assert.Equal(4, all["data"]!.AsArray().Count);
    }

    [Fact]
    public async Task Book_OutsideBusinessHours_Returns409()
    {
        await using var shop = await Shop.OpenAsync();

        await (await shop.BookAsync(At(24, 8, 30))).AssertProblemAsync(409); // before opening
        await (await shop.BookAsync(At(23, 18, 45))).AssertProblemAsync(409); // would end after closing
        await (await shop.BookAsync(At(23, 19, 0))).AssertProblemAsync(409);
        await (await shop.BookAsync(At(28, 15, 0))).AssertProblemAsync(409); // Saturday closes at 15:00
        await (await shop.BookAsync(At(29, 12, 0))).AssertProblemAsync(409); // Sunday
        await (await shop.BookAsync(At(23, 10, 5))).AssertProblemAsync(409); // not on the 15-minute grid
        await shop.BookedAsync(At(23, 18, 30));
    }

    [Fact]
    public async Task Book_WithinTheMinimumNotice_Returns409()
    {
        await using var shop = await Shop.OpenAsync();
        shop.App.Time.Set(new DateTimeOffset(2026, 11, 23, 9, 30, 0, Offset));

        await (await shop.BookAsync(At(23, 10, 0))).AssertProblemAsync(409);
        await shop.BookedAsync(At(23, 10, 30));
    }

    [Fact]
    public async Task Book_WithOverrideOutsideBusinessHours_Returns201AndIsAudited()
    {
        await using var shop = await Shop.OpenAsync();
        await shop.BookedAsync(At(23, 10, 0));

        var sunday = await (await shop.Client.PostJsonAsync($"{shop.Tenant.Path}/appointments", new
        {
            service_id = shop.Corte, start = "2026-11-29T12:00", customer_id = shop.Customer, override_availability = true,
        })).AssertStatusAsync(201);
        Assert.Equal("2026-11-29T12:00:00-06:00", sunday.Str("start"));
        Assert.Equal("confirmed", sunday.Str("status"));

        // Override skips the hours, never another appointment.
        await (await shop.Client.PostJsonAsync($"{shop.Tenant.Path}/appointments", new
        {
            service_id = shop.Corte, start = "2026-11-29T12:15", customer_id = shop.Customer, override_availability = true,
        })).AssertProblemAsync(409);

        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            var events = await db.AuditEvents.AsNoTracking().Where(e => e.Action == "appointment.booked_with_override").ToListAsync();
            var audit = Assert.Single(events);
            Assert.Equal(sunday.Id(), audit.EntityId);
            Assert.Equal("appointment", audit.EntityType);
        }
    }

    [Fact]
    public async Task Book_InThePast_Returns400()
    {
        await using var shop = await Shop.OpenAsync();

        await (await shop.BookAsync(At(23, 7, 0))).AssertFieldErrorAsync("start");
        await (await shop.BookAsync(At(20, 10, 0))).AssertFieldErrorAsync("start");
    }

    [Fact]
    public async Task Book_MoreThan60DaysAhead_Returns400()
    {
        await using var shop = await Shop.OpenAsync();

        await (await shop.BookAsync(new DateTimeOffset(2027, 1, 23, 10, 0, 0, Offset))).AssertFieldErrorAsync("start"); // day 61, a Saturday
        await (await shop.BookAsync(new DateTimeOffset(2027, 3, 1, 10, 0, 0, Offset))).AssertFieldErrorAsync("start");
        await shop.BookedAsync(new DateTimeOffset(2027, 1, 22, 10, 0, 0, Offset)); // day 60, a Friday
    }

    [Fact]
    public async Task Book_WithAMalformedStart_Returns400()
    {
        await using var shop = await Shop.OpenAsync();

        await (await shop.BookAsync("tomorrow at 3")).AssertFieldErrorAsync("start");
        await (await shop.BookAsync("2026-11-31T10:00")).AssertFieldErrorAsync("start");
        await (await shop.BookAsync("")).AssertFieldErrorAsync("start");
        await (await shop.Client.PostJsonAsync($"{shop.Tenant.Path}/appointments", new { service_id = shop.Corte, customer_id = shop.Customer }))
            .AssertFieldErrorAsync("start");
    }

    [Fact]
    public async Task Book_ForACustomerIdOfNobody_Returns404()
    {
        await using var shop = await Shop.OpenAsync();

        var body = await (await shop.Client.PostJsonAsync($"{shop.Tenant.Path}/appointments", new
        {
            service_id = shop.Corte, start = "2026-11-23T10:00", customer_id = Guid.NewGuid(),
        })).AssertProblemAsync(404);

        Assert.True(body["errors"]!.AsObject().ContainsKey("customer_id"), body.ToJsonString());
        Assert.Empty((await (await shop.Client.GetAsync($"{shop.Tenant.Path}/appointments")).AssertStatusAsync(200))["data"]!.AsArray());
    }

    [Fact]
    public async Task Book_ForAnUnknownServiceOrStaff_Returns404()
    {
        await using var shop = await Shop.OpenAsync();

        await (await shop.Client.PostJsonAsync($"{shop.Tenant.Path}/appointments", new
        {
            service_id = Guid.NewGuid(), start = "2026-11-23T10:00", customer_id = shop.Customer,
        })).AssertProblemAsync(404);
        await (await shop.BookAsync(At(23, 10, 0), Guid.NewGuid())).AssertProblemAsync(404);
    }

    [Fact]
    public async Task Book_WithoutACustomer_Returns400()
    {
        await using var shop = await Shop.OpenAsync();

        await (await shop.Client.PostJsonAsync($"{shop.Tenant.Path}/appointments", new { service_id = shop.Corte, start = "2026-11-23T10:00" }))
            .AssertFieldErrorAsync("customer_id");
        await (await shop.Client.PostJsonAsync($"{shop.Tenant.Path}/appointments", new { start = "2026-11-23T10:00", customer_id = shop.Customer }))
            .AssertFieldErrorAsync("service_id");
    }

    [Fact]
    public async Task Book_TwiceWithTheSameIdempotencyKey_BooksOnce()
    {
        await using var shop = await Shop.OpenAsync();
        var body = new { service_id = shop.Corte, start = "2026-11-23T10:00", customer_id = shop.Customer };

        var first = await PostWithKeyAsync(shop, body, "book-ana-10");
        var second = await PostWithKeyAsync(shop, body, "book-ana-10");

        var a = await first.AssertStatusAsync(201);
        var b = await second.AssertStatusAsync(201);
        Assert.Equal(a.Id(), b.Id());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Single((await (await shop.Client.GetAsync($"{shop.Tenant.Path}/appointments")).AssertStatusAsync(200))["data"]!.AsArray());

        // Without the key, the same body is a second booking of a taken time.
        await (await shop.Client.PostJsonAsync($"{shop.Tenant.Path}/appointments", body)).AssertProblemAsync(409);
    }

    [Fact]
    public async Task Book_WithOverride_RecordsAWalkInThatStartedEarlierOrAnyDateAhead()
    {
        await using var shop = await Shop.OpenAsync();
        shop.App.Time.Set(new DateTimeOffset(2026, 11, 23, 12, 10, 0, Offset));

        var walkIn = await (await shop.Client.PostJsonAsync($"{shop.Tenant.Path}/appointments", new
        {
            service_id = shop.Corte, start = "2026-11-23T11:52", customer_id = shop.Customer, source = "walk_in", override_availability = true,
        })).AssertStatusAsync(201);
        Assert.Equal("2026-11-23T11:52:00-06:00", walkIn.Str("start"));
        Assert.Equal("walk_in", walkIn.Str("source"));
        Assert.Equal("confirmed", walkIn.Str("status"));

        var yesterday = await shop.Client.PostJsonAsync($"{shop.Tenant.Path}/appointments", new
        {
            service_id = shop.Corte, start = "2026-11-22T23:00", customer_id = shop.Customer, override_availability = true,
        });
        await yesterday.AssertFieldErrorAsync("start");

        var farAhead = await (await shop.Client.PostJsonAsync($"{shop.Tenant.Path}/appointments", new
        {
            service_id = shop.Corte, start = "2027-06-01T10:00", customer_id = shop.Customer, override_availability = true,
        })).AssertStatusAsync(201);
        Assert.Equal("2027-06-01T10:00:00-06:00", farAhead.Str("start"));
    }

    [Fact]
    public async Task Book_AtTheEndOfTime_Returns400NotA500()
    {
        await using var shop = await Shop.OpenAsync();

        foreach (var overrideAvailability in new[] { false, true })
        {
            // (Starts past 9999-12-31T23:59:59Z itself, like 9999-12-31T23:00-06:00, are for the time parser to refuse.)
            foreach (var start in new[] { "9999-12-31T10:00", "9999-12-31T17:00:00-06:00", "9999-01-02T10:00", "0001-01-01T00:00" })
            {
                var response = await shop.Client.PostJsonAsync($"{shop.Tenant.Path}/appointments", new
                {
                    service_id = shop.Corte, start, customer_id = shop.Customer, override_availability = overrideAvailability,
                });
                await response.AssertFieldErrorAsync("start");
            }
        }

        var booked = await shop.BookedAsync(At(23, 10, 0));
        await (await shop.Client.PatchJsonAsync($"{shop.Tenant.Path}/appointments/{booked.Id()}", new { start = "9999-12-31T10:00", override_availability = true }))
            .AssertFieldErrorAsync("start");
    }

    [Fact]
    public async Task Book_WithTheSameIdempotencyKeyAndAnotherBody_Returns422()
    {
        await using var shop = await Shop.OpenAsync();

        await (await PostWithKeyAsync(shop, new { service_id = shop.Corte, start = "2026-11-23T10:00", customer_id = shop.Customer }, "k1")).AssertStatusAsync(201);
        await (await PostWithKeyAsync(shop, new { service_id = shop.Corte, start = "2026-11-23T11:00", customer_id = shop.Customer }, "k1")).AssertProblemAsync(422);

        Assert.Single(await shop.ListIdsAsync(""));
    }

    [Fact]
    public async Task Book_WithoutStaff_TakesTheLessBusyOneAsTheSlotsSay()
    {
        await using var shop = await Shop.OpenAsync(staff: 2);
        var first = await shop.BookedAsync(At(23, 10, 0));
        var busier = Guid.Parse(first.Str("staff_id"));
        var other = busier == shop.Luis ? shop.Ana : shop.Luis;

        var slots = await shop.SlotsAsync("date_from=2026-11-23");
        var eleven = slots["slots"]!.AsArray().Single(s => Start(s) == At(23, 11, 0))!;
        Assert.Equal(other, Guid.Parse(eleven.Str("staff_id")));

        var second = await shop.BookedAsync(At(23, 11, 0));
        Assert.Equal(other, Guid.Parse(second.Str("staff_id")));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Book_ManyAtOnceForOneTime_BooksEachStaffMemberOnce(string provider)
    {
        await using var shop = await Shop.OpenAsync(provider, staff: 2);

        for (var hour = 9; hour < 19; hour++)
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => shop.BookAsync(At(23, hour, 0))));

            var codes = responses.Select(r => (int)r.StatusCode).ToList();
            Assert.True(codes.Count(c => c == 201) == 2 && codes.Count(c => c == 409) == 2, $"{hour}:00 answered {string.Join(", ", codes)}");
            var staff = new List<Guid>();
            foreach (var response in responses.Where(r => (int)r.StatusCode == 201))
            {
                staff.Add(Guid.Parse((await response.ReadJsonAsync()).Str("staff_id")));
            }

            Assert.Equal(new[] { shop.Luis, shop.Ana }.Order(), staff.Order());
        }

        Assert.Equal(20, (await shop.ListIdsAsync("")).Count);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Book_TwoAtOnceWithoutStaff_BothGetSomeone(string provider)
    {
        await using var shop = await Shop.OpenAsync(provider, staff: 2);

        // Both requests see both barbers free; whichever loses the race for one must get the other.
        for (var start = At(23, 9, 0); start < At(23, 19, 0); start = start.AddMinutes(30))
        {
            var responses = await Task.WhenAll(shop.BookAsync(start), shop.BookAsync(start));

            var staff = new List<Guid>();
            foreach (var response in responses)
            {
                staff.Add(Guid.Parse((await response.AssertStatusAsync(201)).Str("staff_id")));
            }

            Assert.Equal(new[] { shop.Luis, shop.Ana }.Order(), staff.Order());
        }
    }

    // ---------------------------------------------------------------- list

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task List_FiltersByLocalDatesStaffCustomerAndStatus(string provider)
    {
        await using var shop = await Shop.OpenAsync(provider, staff: 2);
        var marta = await shop.CustomerAsync("55 2222 3333", "Marta");
        var wed = await shop.BookedAsync(At(25, 10, 0), shop.Ana, customerId: shop.Customer);
        var monEvening = await shop.BookedAsync(At(23, 18, 30), shop.Ana, customerId: marta); // 00:30 UTC on Tuesday
        var tue = await shop.BookedAsync(At(24, 9, 0), shop.Luis, customerId: marta);
        var mon = await shop.BookedAsync(At(23, 10, 0), shop.Luis, customerId: shop.Customer);
        await (await shop.Client.PostJsonAsync($"{shop.Tenant.Path}/appointments/{wed.Id()}/cancel", new { })).AssertStatusAsync(200);

        Assert.Equal([mon.Id(), monEvening.Id(), tue.Id(), wed.Id()], await shop.ListIdsAsync(""));
        Assert.Equal([mon.Id(), monEvening.Id()], await shop.ListIdsAsync("date_from=2026-11-23&date_to=2026-11-23"));
        Assert.Equal([tue.Id(), wed.Id()], await shop.ListIdsAsync("date_from=2026-11-24"));
        Assert.Equal([mon.Id(), monEvening.Id(), tue.Id()], await shop.ListIdsAsync("date_to=2026-11-24"));
        Assert.Equal([mon.Id(), tue.Id()], await shop.ListIdsAsync($"staff_id={shop.Luis}"));
        Assert.Equal([monEvening.Id(), tue.Id()], await shop.ListIdsAsync($"customer_id={marta}"));
        Assert.Equal([wed.Id()], await shop.ListIdsAsync("status=cancelled"));
        Assert.Equal([mon.Id(), monEvening.Id(), tue.Id()], await shop.ListIdsAsync("status=confirmed"));
        Assert.Equal([monEvening.Id()], await shop.ListIdsAsync($"date_from=2026-11-23&date_to=2026-11-23&staff_id={shop.Ana}&customer_id={marta}&status=confirmed"));
        Assert.Empty(await shop.ListIdsAsync("status=no_show"));
    }

    [Fact]
    public async Task List_WithBadFilters_Returns400()
    {
        await using var shop = await Shop.OpenAsync();

        await (await shop.Client.GetAsync($"{shop.Tenant.Path}/appointments?status=done")).AssertFieldErrorAsync("status");
        await (await shop.Client.GetAsync($"{shop.Tenant.Path}/appointments?date_from=2026-02-30")).AssertFieldErrorAsync("date_from");
        await (await shop.Client.GetAsync($"{shop.Tenant.Path}/appointments?date_from=2026-11-24&date_to=2026-11-23")).AssertFieldErrorAsync("date_to");
        await (await shop.Client.GetAsync($"{shop.Tenant.Path}/appointments?limit=0")).AssertFieldErrorAsync("limit");
        await (await shop.Client.GetAsync($"{shop.Tenant.Path}/appointments?limit=201")).AssertFieldErrorAsync("limit");
    }

    [Fact]
    public async Task List_ForDatesAtTheEdgesOfTheCalendar_Returns200()
    {
        await using var shop = await Shop.OpenAsync();
        var booked = await shop.BookedAsync(At(23, 10, 0));

        Assert.Equal([booked.Id()], await shop.ListIdsAsync("date_from=0001-01-01&date_to=9999-12-31"));
        Assert.Empty(await shop.ListIdsAsync("date_from=9999-12-31"));
        Assert.Empty(await shop.ListIdsAsync("date_to=0001-01-01"));

        // East of UTC, local midnight on 0001-01-01 is still year 0 in UTC.
        var nairobi = await shop.App.CreateAsync(Tenants.NairobiSalon());
        using var client = shop.App.Client(nairobi.ApiKey);
        var page = await (await client.GetAsync($"{nairobi.Path}/appointments?date_from=0001-01-01&date_to=0001-01-01")).AssertStatusAsync(200);
        Assert.Empty(page["data"]!.AsArray());
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task List_PagingWithStartingAfter_WalksEveryAppointmentOnce(string provider)
    {
        await using var shop = await Shop.OpenAsync(provider, staff: 2);
        var booked = new List<Guid>();
        // Booked out of order, with pairs at the same start so the order has ties to break.
        foreach (var (start, staff) in new[]
                 {
                     (At(24, 11, 0), shop.Luis), (At(23, 10, 0), shop.Ana), (At(23, 10, 0), shop.Luis), (At(24, 11, 0), shop.Ana),
                     (At(23, 9, 0), shop.Luis), (At(25, 12, 0), shop.Ana), (At(23, 12, 0), shop.Luis),
                 })
        {
            booked.Add((await shop.BookedAsync(start, staff)).Id());
        }

        var seen = new List<JsonNode>();
        string? after = null;
        var pages = 0;
        while (true)
        {
            var page = await (await shop.Client.GetAsync($"{shop.Tenant.Path}/appointments?limit=2{(after is null ? "" : $"&starting_after={after}")}"))
                .AssertStatusAsync(200);
            var data = page["data"]!.AsArray();
            seen.AddRange(data.Select(d => d!));
            pages++;
            Assert.True(pages <= 4, "Paging does not end.");
            if (!page["has_more"]!.GetValue<bool>())
            {
                break;
            }

            Assert.Equal(2, data.Count);
            after = data[^1]!.Str("id");
        }

        Assert.Equal(4, pages);
        var ids = seen.Select(a => a.Id()).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.Equal(booked.Order(), ids.Order());
        var starts = seen.Select(Start).ToList();
        Assert.Equal(starts.Order().ToList(), starts);

        // The whole list in one page is the same walk.
        Assert.Equal(ids, await shop.ListIdsAsync("limit=200"));
    }

    // ---------------------------------------------------------------- lifecycle

    [Fact]
    public async Task Get_ReturnsTheAppointment()
    {
        await using var shop = await Shop.OpenAsync();
        var booked = await shop.BookedAsync(At(23, 10, 0));

        var fetched = await (await shop.Client.GetAsync($"{shop.Tenant.Path}/appointments/{booked.Id()}")).AssertStatusAsync(200);

        Assert.Equal(booked.ToJsonString(), fetched.ToJsonString());
    }

    [Fact]
    public async Task AnyAction_OnAnUnknownAppointment_Returns404()
    {
        await using var shop = await Shop.OpenAsync();
        var path = $"{shop.Tenant.Path}/appointments/{Guid.NewGuid()}";

        await (await shop.Client.GetAsync(path)).AssertProblemAsync(404);
        await (await shop.Client.PatchJsonAsync(path, new { notes = "x" })).AssertProblemAsync(404);
        await (await shop.Client.PatchJsonAsync(path, new { start = "2026-11-23T10:00" })).AssertProblemAsync(404);
        foreach (var action in new[] { "cancel", "confirm", "complete", "no-show" })
        {
            await (await shop.Client.PostJsonAsync($"{path}/{action}", new { })).AssertProblemAsync(404);
        }
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Reschedule_ToAFreeTime_Returns200WithTheNewStart(string provider)
    {
        await using var shop = await Shop.OpenAsync(provider, staff: 2);
        var booked = await shop.BookedAsync(At(23, 10, 0), shop.Luis);
        var path = $"{shop.Tenant.Path}/appointments/{booked.Id()}";

        var moved = await (await shop.Client.PatchJsonAsync(path, new { start = "2026-11-23T11:00" })).AssertStatusAsync(200);

        Assert.Equal(booked.Id(), moved.Id());
        Assert.Equal("2026-11-23T11:00:00-06:00", moved.Str("start"));
        Assert.Equal("2026-11-23T11:30:00-06:00", moved.Str("end"));
        Assert.Equal("confirmed", moved.Str("status"));
        var luis = Starts(await shop.SlotsAsync($"date_from=2026-11-23&staff_id={shop.Luis}"));
        Assert.Contains(At(23, 10, 0), luis);
        Assert.DoesNotContain(At(23, 11, 0), luis);

        // A quarter of an hour later overlaps only its own old time.
        var nudged = await (await shop.Client.PatchJsonAsync(path, new { start = "2026-11-23T11:15:00-06:00" })).AssertStatusAsync(200);
        Assert.Equal("2026-11-23T11:15:00-06:00", nudged.Str("start"));

        // To another staff member at the same time.
        var handedOver = await (await shop.Client.PatchJsonAsync(path, new { staff_id = shop.Ana })).AssertStatusAsync(200);
        Assert.Equal(shop.Ana, Guid.Parse(handedOver.Str("staff_id")));
        Assert.Equal("2026-11-23T11:15:00-06:00", handedOver.Str("start"));

        var fetched = await (await shop.Client.GetAsync(path)).AssertStatusAsync(200);
        Assert.Equal(handedOver.ToJsonString(), fetched.ToJsonString());
        Assert.Equal([booked.Id()], await shop.ListIdsAsync(""));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Reschedule_TwoToTheSameTimeAtOnce_MovesOne(string provider)
    {
        await using var shop = await Shop.OpenAsync(provider);

        for (var day = 23; day <= 27; day++)
        {
            var first = (await shop.BookedAsync(At(day, 9, 0))).Id();
            var second = (await shop.BookedAsync(At(day, 12, 0))).Id();

            var responses = await Task.WhenAll(
                shop.Client.PatchJsonAsync($"{shop.Tenant.Path}/appointments/{first}", new { start = Rfc3339(At(day, 15, 0)) }),
                shop.Client.PatchJsonAsync($"{shop.Tenant.Path}/appointments/{second}", new { start = Rfc3339(At(day, 15, 15)) }));

            var codes = responses.Select(r => (int)r.StatusCode).Order().ToList();
            Assert.True(codes is [200, 409], $"{day}: {string.Join(", ", codes)}");
            var starts = Starts(await shop.SlotsAsync($"date_from=2026-11-{day}"));
            Assert.DoesNotContain(At(day, 15, 0), starts);
            Assert.Equal(1, new[] { At(day, 9, 0), At(day, 12, 0) }.Count(s => starts.Contains(s))); // one left its old time
        }
    }

    [Fact]
    public async Task Reschedule_ToATakenTime_Returns409AndLeavesItUnchanged()
    {
        await using var shop = await Shop.OpenAsync();
        var first = await shop.BookedAsync(At(23, 10, 0), notes: "Primera vez");
        await shop.BookedAsync(At(23, 11, 0));
        var path = $"{shop.Tenant.Path}/appointments/{first.Id()}";

        await (await shop.Client.PatchJsonAsync(path, new { start = "2026-11-23T11:00", notes = "Cambio" })).AssertProblemAsync(409);
        await (await shop.Client.PatchJsonAsync(path, new { start = "2026-11-23T10:45" })).AssertProblemAsync(409); // overlaps 11:00
        await (await shop.Client.PatchJsonAsync(path, new { start = "2026-11-29T10:00" })).AssertProblemAsync(409); // Sunday
        await (await shop.Client.PatchJsonAsync(path, new { start = "2026-11-23T07:00" })).AssertFieldErrorAsync("start"); // the past
        await (await shop.Client.PatchJsonAsync(path, new { start = "soon" })).AssertFieldErrorAsync("start");

        var fetched = await (await shop.Client.GetAsync(path)).AssertStatusAsync(200);
        Assert.Equal(first.ToJsonString(), fetched.ToJsonString());
    }

    [Fact]
    public async Task Reschedule_WithOverrideOutsideHours_IsAudited()
    {
        await using var shop = await Shop.OpenAsync();
        var booked = await shop.BookedAsync(At(23, 10, 0));
        var path = $"{shop.Tenant.Path}/appointments/{booked.Id()}";

        await (await shop.Client.PatchJsonAsync(path, new { start = "2026-11-23T20:00" })).AssertProblemAsync(409);
        var moved = await (await shop.Client.PatchJsonAsync(path, new { start = "2026-11-23T20:00", override_availability = true })).AssertStatusAsync(200);

        Assert.Equal("2026-11-23T20:00:00-06:00", moved.Str("start"));
        var (db, scope) = shop.App.Db(shop.Tenant.Id);
        using (scope)
        {
            var audit = Assert.Single(await db.AuditEvents.AsNoTracking().Where(e => e.Action == "appointment.rescheduled_with_override").ToListAsync());
            Assert.Equal(booked.Id(), audit.EntityId);
        }
    }

    [Fact]
    public async Task Reschedule_ToUnknownOrUnsuitableStaff_IsRefused()
    {
        await using var shop = await Shop.OpenAsync();
        var booked = await shop.BookedAsync(At(23, 10, 0));
        var path = $"{shop.Tenant.Path}/appointments/{booked.Id()}";
        var tinte = await shop.ServiceAsync("Tinte", 60, 40000);
        var colorist = (await (await shop.Client.PostJsonAsync($"{shop.Tenant.Path}/staff", new { name = "Rosa", phone_number = "55 3333 4444", service_ids = new[] { tinte } }))
            .AssertStatusAsync(201)).Id();

        await (await shop.Client.PatchJsonAsync(path, new { staff_id = Guid.NewGuid() })).AssertProblemAsync(404);
        await (await shop.Client.PatchJsonAsync(path, new { staff_id = colorist })).AssertProblemAsync(409);
        await (await shop.Client.PatchJsonAsync(path, new { start = "2027-02-01T10:00" })).AssertFieldErrorAsync("start"); // beyond 60 days

        Assert.Equal(booked.ToJsonString(), (await (await shop.Client.GetAsync(path)).AssertStatusAsync(200)).ToJsonString());
    }

    [Fact]
    public async Task Reschedule_AfterTheServiceWasDeactivated_StillWorks()
    {
        await using var shop = await Shop.OpenAsync();
        var booked = await shop.BookedAsync(At(23, 10, 0));
        await (await shop.Client.DeleteAsync($"{shop.Tenant.Path}/services/{shop.Corte}")).AssertStatusAsync(204);

        var moved = await (await shop.Client.PatchJsonAsync($"{shop.Tenant.Path}/appointments/{booked.Id()}", new { start = "2026-11-24T10:00" }))
            .AssertStatusAsync(200);

        Assert.Equal("2026-11-24T10:00:00-06:00", moved.Str("start"));
        Assert.Equal(shop.Corte, Guid.Parse(moved.Str("service_id")));
    }

    [Fact]
    public async Task Update_NotesOnly_KeepsTheTime()
    {
        await using var shop = await Shop.OpenAsync();
        var booked = await shop.BookedAsync(At(23, 10, 0));
        var path = $"{shop.Tenant.Path}/appointments/{booked.Id()}";

        var updated = await (await shop.Client.PatchJsonAsync(path, new { notes = "Trae foto del corte" })).AssertStatusAsync(200);

        Assert.Equal("Trae foto del corte", updated.Str("notes"));
        Assert.Equal(booked.Str("start"), updated.Str("start"));
        Assert.Equal(booked.Str("staff_id"), updated.Str("staff_id"));
        Assert.Equal("Trae foto del corte", (await (await shop.Client.GetAsync(path)).AssertStatusAsync(200)).Str("notes"));

        // Notes can change even when the slot itself could no longer be booked (it is now within the notice).
        shop.App.Time.Set(new DateTimeOffset(2026, 11, 23, 9, 30, 0, Offset));
        var later = await (await shop.Client.PatchJsonAsync(path, new { notes = "Llega tarde", start = "2026-11-23T10:00" })).AssertStatusAsync(200);
        Assert.Equal("Llega tarde", later.Str("notes"));

        var cleared = await (await shop.Client.PatchJsonAsync(path, new { notes = "" })).AssertStatusAsync(200);
        Assert.Null(cleared["notes"]);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Cancel_WithAReason_FreesTheTime(string provider)
    {
        await using var shop = await Shop.OpenAsync(provider);
        var booked = await shop.BookedAsync(At(23, 10, 0));
        var path = $"{shop.Tenant.Path}/appointments/{booked.Id()}";
        Assert.DoesNotContain(At(23, 10, 0), Starts(await shop.SlotsAsync("date_from=2026-11-23")));

        var cancelled = await (await shop.Client.PostJsonAsync($"{path}/cancel", new { reason = "Se enfermó" })).AssertStatusAsync(200);

        Assert.Equal("cancelled", cancelled.Str("status"));
        Assert.Equal("Se enfermó", cancelled.Str("cancellation_reason"));
        Assert.Contains(At(23, 10, 0), Starts(await shop.SlotsAsync("date_from=2026-11-23")));

        // Twice is harmless and keeps the first reason.
        await (await shop.Client.PostJsonAsync($"{path}/cancel", new { reason = new string('x', 501) })).AssertFieldErrorAsync("reason");
        var again = await (await shop.Client.PostJsonAsync($"{path}/cancel", new { reason = "Otra vez" })).AssertStatusAsync(200);
        Assert.Equal("cancelled", again.Str("status"));
        Assert.Equal("Se enfermó", again.Str("cancellation_reason"));

        // The freed time can be booked again.
        var rebooked = await shop.BookedAsync(At(23, 10, 0));
        Assert.NotEqual(booked.Id(), rebooked.Id());
        Assert.Equal("cancelled", (await (await shop.Client.GetAsync(path)).AssertStatusAsync(200)).Str("status"));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Cancel_TappedTwiceAtOnce_AnswersBoth200(string provider)
    {
        await using var shop = await Shop.OpenAsync(provider);

        for (var day = 23; day <= 27; day++)
        {
            var path = $"{shop.Tenant.Path}/appointments/{(await shop.BookedAsync(At(day, 10, 0))).Id()}/cancel";

            var responses = await Task.WhenAll(
                shop.Client.PostJsonAsync(path, new { reason = "No puedo" }),
                shop.Client.PostJsonAsync(path, new { reason = "No puedo" }));

            foreach (var response in responses)
            {
                Assert.Equal("cancelled", (await response.AssertStatusAsync(200)).Str("status"));
            }
        }
    }

    [Fact]
    public async Task Cancel_WithoutABody_Cancels()
    {
        await using var shop = await Shop.OpenAsync();
        var booked = await shop.BookedAsync(At(23, 10, 0));

        var response = await shop.Client.PostAsync($"{shop.Tenant.Path}/appointments/{booked.Id()}/cancel", null);

        var cancelled = await response.AssertStatusAsync(200);
        Assert.Equal("cancelled", cancelled.Str("status"));
        Assert.Null(cancelled["cancellation_reason"]);
    }

    [Fact]
    public async Task CompleteOrNoShow_ACancelledAppointment_Returns409()
    {
        await using var shop = await Shop.OpenAsync();
        var booked = await shop.BookedAsync(At(23, 10, 0));
        var path = $"{shop.Tenant.Path}/appointments/{booked.Id()}";
        await (await shop.Client.PostJsonAsync($"{path}/cancel", new { })).AssertStatusAsync(200);
        shop.App.Time.Set(new DateTimeOffset(2026, 11, 23, 11, 0, 0, Offset));

        await (await shop.Client.PostJsonAsync($"{path}/complete", new { })).AssertProblemAsync(409);
        await (await shop.Client.PostJsonAsync($"{path}/no-show", new { })).AssertProblemAsync(409);
        await (await shop.Client.PostJsonAsync($"{path}/confirm", new { })).AssertProblemAsync(409);
        await (await shop.Client.PatchJsonAsync(path, new { start = "2026-11-24T10:00" })).AssertProblemAsync(409);

        Assert.Equal("cancelled", (await (await shop.Client.GetAsync(path)).AssertStatusAsync(200)).Str("status"));
        Assert.Equal(0, (await shop.GetCustomerAsync(shop.Customer))["visit_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task CompleteOrNoShow_BeforeTheStart_Returns409()
    {
        await using var shop = await Shop.OpenAsync();
        var booked = await shop.BookedAsync(At(23, 10, 0));
        var path = $"{shop.Tenant.Path}/appointments/{booked.Id()}";
        shop.App.Time.Set(new DateTimeOffset(2026, 11, 23, 9, 59, 0, Offset));

        await (await shop.Client.PostJsonAsync($"{path}/complete", new { })).AssertProblemAsync(409);
        await (await shop.Client.PostJsonAsync($"{path}/no-show", new { })).AssertProblemAsync(409);

        Assert.Equal("confirmed", (await (await shop.Client.GetAsync(path)).AssertStatusAsync(200)).Str("status"));
        Assert.Equal(0, (await shop.GetCustomerAsync(shop.Customer))["visit_count"]!.GetValue<int>());
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Complete_AfterTheStart_CountsAVisit(string provider)
    {
        await using var shop = await Shop.OpenAsync(provider);
        var booked = await shop.BookedAsync(At(23, 10, 0));
        var path = $"{shop.Tenant.Path}/appointments/{booked.Id()}";
        shop.App.Time.Set(new DateTimeOffset(2026, 11, 23, 10, 40, 0, Offset));

        var completed = await (await shop.Client.PostJsonAsync($"{path}/complete", new { })).AssertStatusAsync(200);

        Assert.Equal("completed", completed.Str("status"));
        var customer = await shop.GetCustomerAsync(shop.Customer);
        Assert.Equal(1, customer["visit_count"]!.GetValue<int>());
        Assert.Equal("2026-11-23T10:00:00-06:00", customer.Str("last_visit"));
        Assert.Equal(25000, customer["total_spent_cents"]!.GetValue<long>());

        // Done is done: not twice, not moved, not a no-show, not cancelled.
        await (await shop.Client.PostJsonAsync($"{path}/complete", new { })).AssertProblemAsync(409);
        await (await shop.Client.PostJsonAsync($"{path}/no-show", new { })).AssertProblemAsync(409);
        await (await shop.Client.PostJsonAsync($"{path}/cancel", new { })).AssertProblemAsync(409);
        Assert.Equal(1, (await shop.GetCustomerAsync(shop.Customer))["visit_count"]!.GetValue<int>());
        Assert.Equal("completed", (await (await shop.Client.GetAsync(path)).AssertStatusAsync(200)).Str("status"));
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Complete_TappedTwiceAtOnce_CountsOneVisit(string provider)
    {
        await using var shop = await Shop.OpenAsync(provider);
        var ids = new List<Guid>();
        for (var day = 23; day <= 27; day++)
        {
            ids.Add((await shop.BookedAsync(At(day, 10, 0))).Id());
        }

        shop.App.Time.Set(At(28, 9, 0));
        foreach (var id in ids)
        {
            var path = $"{shop.Tenant.Path}/appointments/{id}";
            var responses = await Task.WhenAll(
                shop.Client.PostJsonAsync($"{path}/complete", new { }),
                shop.Client.PostJsonAsync($"{path}/complete", new { }),
                shop.Client.PostJsonAsync($"{path}/cancel", new { }));

            var codes = responses.Select(r => (int)r.StatusCode).ToList();
            Assert.True(codes.Count(c => c == 200) == 1 && codes.Count(c => c == 409) == 2, string.Join(", ", codes));
        }

        var completed = (await shop.ListIdsAsync("status=completed")).Count;
        Assert.Equal(completed, (await shop.GetCustomerAsync(shop.Customer))["visit_count"]!.GetValue<int>());
        Assert.Equal(ids.Count - completed, (await shop.ListIdsAsync("status=cancelled")).Count);
    }

    [Theory]
    [MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Complete_TwoOfOneCustomersAppointmentsOnOneDayAtOnce_CountOneVisitAndBothPrices(string provider)
    {
        await using var shop = await Shop.OpenAsync(provider, staff: 2);
        var pairs = new List<(Guid, Guid)>();
        for (var day = 23; day <= 27; day++)
        {
            // A parent books two children at the same time under one phone number.
            pairs.Add(((await shop.BookedAsync(At(day, 10, 0), shop.Luis)).Id(), (await shop.BookedAsync(At(day, 10, 0), shop.Ana)).Id()));
        }

        shop.App.Time.Set(At(28, 9, 0));
        foreach (var (first, second) in pairs)
        {
            var responses = await Task.WhenAll(
                shop.Client.PostJsonAsync($"{shop.Tenant.Path}/appointments/{first}/complete", new { }),
                shop.Client.PostJsonAsync($"{shop.Tenant.Path}/appointments/{second}/complete", new { }));
            foreach (var response in responses)
            {
                await response.AssertStatusAsync(200);
            }
        }

        // One visit per customer per day (issue 6), but both services were paid for.
        var customer = await shop.GetCustomerAsync(shop.Customer);
        Assert.Equal(5, customer["visit_count"]!.GetValue<int>());
        Assert.Equal(10 * 25000, customer["total_spent_cents"]!.GetValue<long>());
        var visits = await (await shop.Client.GetAsync($"{shop.Tenant.Path}/customers/{shop.Customer}/visits")).AssertStatusAsync(200);
        Assert.Equal(5, visits["data"]!.AsArray().Count);
        Assert.All(visits["data"]!.AsArray(), v => Assert.Equal(2 * 25000, v!["amount_cents"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Complete_AtTheStartTime_IsAllowed()
    {
        await using var shop = await Shop.OpenAsync();
        var booked = await shop.BookedAsync(At(23, 10, 0));
        shop.App.Time.Set(At(23, 10, 0));

        var completed = await (await shop.Client.PostJsonAsync($"{shop.Tenant.Path}/appointments/{booked.Id()}/complete", new { })).AssertStatusAsync(200);

        Assert.Equal("completed", completed.Str("status"));
    }

    [Fact]
    public async Task NoShow_AfterTheStart_MarksItWithoutAVisit()
    {
        await using var shop = await Shop.OpenAsync();
        var booked = await shop.BookedAsync(At(23, 10, 0));
        var path = $"{shop.Tenant.Path}/appointments/{booked.Id()}";
        shop.App.Time.Set(new DateTimeOffset(2026, 11, 23, 10, 20, 0, Offset));

        var noShow = await (await shop.Client.PostJsonAsync($"{path}/no-show", new { })).AssertStatusAsync(200);

        Assert.Equal("no_show", noShow.Str("status"));
        var customer = await shop.GetCustomerAsync(shop.Customer);
        Assert.Equal(0, customer["visit_count"]!.GetValue<int>());
        Assert.Null(customer["last_visit"]);
        await (await shop.Client.PostJsonAsync($"{path}/complete", new { })).AssertProblemAsync(409);
        Assert.Equal([booked.Id()], await shop.ListIdsAsync("status=no_show"));
    }

    [Fact]
    public async Task Confirm_WorksOnlyFromPending()
    {
        await using var shop = await Shop.OpenAsync();
        var confirmed = await shop.BookedAsync(At(23, 10, 0));
        await (await shop.Client.PostJsonAsync($"{shop.Tenant.Path}/appointments/{confirmed.Id()}/confirm", new { })).AssertProblemAsync(409);

        // A business that approves bookings by hand gets pending ones from customers' channels.
        await (await shop.Client.PatchJsonAsync($"{shop.Tenant.Path}/settings", new { auto_confirm_bookings = false })).AssertStatusAsync(200);
        var pending = await (await shop.Client.PostJsonAsync($"{shop.Tenant.Path}/appointments", new
        {
            service_id = shop.Corte, start = "2026-11-23T11:00", customer_id = shop.Customer, source = "web",
        })).AssertStatusAsync(201);
        Assert.Equal("pending", pending.Str("status"));
        Assert.Equal("web", pending.Str("source"));
        Assert.DoesNotContain(At(23, 11, 0), Starts(await shop.SlotsAsync("date_from=2026-11-23"))); // pending holds the time

        var path = $"{shop.Tenant.Path}/appointments/{pending.Id()}/confirm";
        Assert.Equal("confirmed", (await (await shop.Client.PostJsonAsync(path, new { })).AssertStatusAsync(200)).Str("status"));
        await (await shop.Client.PostJsonAsync(path, new { })).AssertProblemAsync(409);
    }

    [Fact]
    public async Task Reschedule_ACompletedAppointment_Returns409()
    {
        await using var shop = await Shop.OpenAsync();
        var booked = await shop.BookedAsync(At(23, 10, 0));
        var path = $"{shop.Tenant.Path}/appointments/{booked.Id()}";
        shop.App.Time.Set(new DateTimeOffset(2026, 11, 23, 10, 40, 0, Offset));
        await (await shop.Client.PostJsonAsync($"{path}/complete", new { })).AssertStatusAsync(200);

        await (await shop.Client.PatchJsonAsync(path, new { start = "2026-11-24T10:00" })).AssertProblemAsync(409);

        var fetched = await (await shop.Client.GetAsync(path)).AssertStatusAsync(200);
        Assert.Equal("2026-11-23T10:00:00-06:00", fetched.Str("start"));
        Assert.Equal("completed", fetched.Str("status"));
    }

    // ---------------------------------------------------------------- helpers

    private static DateTimeOffset At(int novemberDay, int hour, int minute) => new(2026, 11, novemberDay, hour, minute, 0, Offset);

    private static string Rfc3339(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static DateTimeOffset Start(JsonNode? slot) => DateTimeOffset.Parse(slot!.Str("start"), CultureInfo.InvariantCulture);

    private static List<DateTimeOffset> Starts(JsonNode body) => body["slots"]!.AsArray().Select(Start).ToList();

    private static JsonObject WithHours(object organization, object hours)
    {
        var json = JsonSerializer.SerializeToNode(organization)!.AsObject();
        json["business_hours"] = JsonSerializer.SerializeToNode(hours);
        return json;
    }

    private static Task<HttpResponseMessage> PostWithKeyAsync(Shop shop, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{shop.Tenant.Path}/appointments") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return shop.Client.SendAsync(request);
    }

    /// <summary>A barbershop with a 30-minute Corte, one or two barbers and one customer, with the clock on Monday morning.</summary>
    private sealed class Shop : IAsyncDisposable
    {
        private readonly bool _ownsApp;

        private Shop(KaribuApp app, bool ownsApp, Tenant tenant, HttpClient client)
        {
            App = app;
            _ownsApp = ownsApp;
            Tenant = tenant;
            Client = client;
        }

        public KaribuApp App { get; }

        public Tenant Tenant { get; }

        public HttpClient Client { get; }

        public Guid Corte { get; private set; }

        public Guid Luis { get; private set; }

        public Guid Ana { get; private set; }

        public Guid Customer { get; private set; }

        public static async Task<Shop> OpenAsync(string provider = "Sqlite", int staff = 1)
        {
            var app = await KaribuApp.StartAsync(provider);
            app.Time.Set(MondayMorning);
            return await OpenAsync(app, Tenants.MexicoBarbershop(), staff, ownsApp: true);
        }

        public static async Task<Shop> OpenAsync(KaribuApp app, object organization, int staff = 1, bool ownsApp = true)
        {
            var tenant = await app.CreateAsync(organization);
            var shop = new Shop(app, ownsApp, tenant, app.Client(tenant.ApiKey));
            shop.Corte = await shop.ServiceAsync("Corte", 30, 25000);
            shop.Luis = await shop.StaffAsync("Luis", "55 1111 2222");
            if (staff > 1)
            {
                shop.Ana = await shop.StaffAsync("Ana", "55 1111 3333");
            }

            shop.Customer = await shop.CustomerAsync("33 9999 8888", "Carlos");
            return shop;
        }

        public async Task<Guid> ServiceAsync(string name, int minutes, long priceCents, int bufferAfterMinutes = 0) =>
            (await (await Client.PostJsonAsync($"{Tenant.Path}/services", new
            {
                name, duration_minutes = minutes, price_cents = priceCents, buffer_after_minutes = bufferAfterMinutes,
            })).AssertStatusAsync(201)).Id();

        public async Task<Guid> StaffAsync(string name, string phone) =>
            (await (await Client.PostJsonAsync($"{Tenant.Path}/staff", new { name, phone_number = phone })).AssertStatusAsync(201)).Id();

        public async Task<Guid> CustomerAsync(string phone, string name) =>
            (await (await Client.PostJsonAsync($"{Tenant.Path}/customers", new { phone_number = phone, name })).AssertStatusAsync(201)).Id();

        public async Task<JsonNode> GetCustomerAsync(Guid id) =>
            await (await Client.GetAsync($"{Tenant.Path}/customers/{id}")).AssertStatusAsync(200);

        /// <summary>GET slots for the Corte (unless the query names its own service).</summary>
        public Task<HttpResponseMessage> GetSlotsAsync(string query, bool withService = true) =>
            Client.GetAsync($"{Tenant.Path}/availability/slots?{(withService ? $"service_id={Corte}&" : "")}{query}");

        public async Task<JsonNode> SlotsAsync(string query, bool withService = true) =>
            await (await GetSlotsAsync(query, withService)).AssertStatusAsync(200);

        public Task<HttpResponseMessage> BookAsync(DateTimeOffset start, Guid? staffId = null) => BookAsync(Rfc3339(start), staffId);

        public Task<HttpResponseMessage> BookAsync(string start, Guid? staffId = null, Guid? serviceId = null, Guid? customerId = null, string? notes = null) =>
            Client.PostJsonAsync($"{Tenant.Path}/appointments", new
            {
                service_id = serviceId ?? Corte, start, staff_id = staffId, customer_id = customerId ?? Customer, notes,
            });

        public async Task<JsonNode> BookedAsync(DateTimeOffset start, Guid? staffId = null, Guid? serviceId = null, Guid? customerId = null, string? notes = null)
        {
            var body = await (await BookAsync(Rfc3339(start), staffId, serviceId, customerId, notes)).AssertStatusAsync(201);
            Assert.Equal(Rfc3339(start), body.Str("start"));
            if (staffId is { } wanted)
            {
                Assert.Equal(wanted, Guid.Parse(body.Str("staff_id")));
            }

            return body;
        }

        public async Task<List<Guid>> ListIdsAsync(string query)
        {
            var page = await (await Client.GetAsync($"{Tenant.Path}/appointments?{query}")).AssertStatusAsync(200);
            Assert.False(page["has_more"]!.GetValue<bool>());
            return page["data"]!.AsArray().Select(a => a!.Id()).ToList();
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            if (_ownsApp)
            {
                await App.DisposeAsync();
            }
        }
    }
}
