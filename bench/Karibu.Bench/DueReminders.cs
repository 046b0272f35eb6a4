using System.Diagnostics;
using System.Globalization;
using Karibu.Data;
using Karibu.Features.Messaging;
using Karibu.Features.Notifications;
using Karibu.Features.Organizations;
using Karibu.Features.Services;
using Karibu.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Karibu.Bench;

/// <summary>
/// Issue 6's durable-scheduling target: among N appointments (default 1,000,000), find and enqueue the D due
/// reminders (default 100,000) in one pass of the notification worker on PostgreSQL.
/// <c>dotnet run -c Release -- due-reminders "Host=...;Database=..." [appointments] [due]</c> (the database is recreated).
/// Staff are many (so a day of hourly appointments never overlaps); D/10 staff carry the due ones, ten each.
/// Each due reminder is for a different customer (as on a real day), and half of them already have a WhatsApp
/// chat with the business (their reminder goes there); the others get a new conversation.
/// </summary>
internal static class DueReminders
{
    public static async Task RunAsync(string[] args)
    {
        var connectionString = args.Length > 1 ? args[1] : throw new InvalidOperationException("Give a PostgreSQL connection string.");
        var total = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000_000;
        var due = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 100_000;
        const int PerStaff = 100;
        var staffCount = total / PerStaff;
        var customerCount = Math.Max(due, staffCount);

        var services = new ServiceCollection();
        services.AddLogging(l => l.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<TenantContext>();
        services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<TenantContext>());
        services.AddScoped<TenantInterceptor>();
        services.AddScoped<BookingNotices>();
        services.AddSingleton(Options.Create(new NotificationOptions()));
        services.AddSingleton(Options.Create(new MessagingOptions()));
        services.AddSingleton<NotificationWorker>();
        services.AddDbContext<KaribuDb>((sp, db) => db.UseNpgsql(connectionString, o => o.CommandTimeout(600))
            .AddInterceptors(sp.GetRequiredService<TenantInterceptor>())
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning)));
        await using var provider = services.BuildServiceProvider();
        await using (var scope = provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<KaribuDb>().Database.EnsureDeletedAsync();
        }

        await provider.MigrateDatabaseAsync();
        var clock = Stopwatch.StartNew();
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KaribuDb>();
            var tenant = scope.ServiceProvider.GetRequiredService<TenantContext>();
            var (organization, _) = OrganizationSetup.Add(db, tenant, new OrganizationSetup.Validated(
                "Bench", BusinessType.Barbershop, "America/Mexico_City", "es-MX", "MXN", "MX", null, BusinessHours.Default(), new OrganizationSettings()), "bench");
            db.Services.Add(new Service { Name = "Corte", DurationMinutes = 30, PriceCents = 10_000, Currency = "MXN" });
            db.ChannelAccounts.Add(new ChannelAccount { Kind = ChannelKind.Whatsapp, ExternalId = "200000000000099", EncryptedSecret = "x" });
            await db.SaveChangesAsync();
            var org = organization.Id;
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
#pragma warning disable EF1002 // Only numbers and a Guid generated here go into the seeding SQL.
            await db.Database.ExecuteSqlRawAsync($"""
                INSERT INTO staff (id, organization_id, name, phone_number, role, permissions, is_active, service_ids, created_at, updated_at)
                SELECT gen_random_uuid(), '{org}', 'Staff ' || g, '+5255' || lpad(g::text, 8, '0'), 'employee', '[]', true, NULL, now(), now()
                FROM generate_series(1, {staffCount}) g;
                INSERT INTO people (id, phone_number, profile_name, opted_out_at, created_at, updated_at)
                SELECT gen_random_uuid(), '+5233' || lpad(g::text, 8, '0'), NULL, NULL, now(), now() FROM generate_series(1, {customerCount}) g;
                INSERT INTO customers (id, organization_id, person_id, phone_number, display_name, email, notes, tags, visit_count, last_visit_at,
                                       total_spent_cents, contact_cadence_days, marketing_opted_out_at, opted_out_at, opted_out_channels, source, created_at, updated_at)
                SELECT gen_random_uuid(), '{org}', p.id, p.phone_number, 'Cliente ' || right(p.phone_number, 4), NULL, NULL, '[]', 0, NULL, 0, NULL, NULL, NULL, '[]', 'api', now(), now()
                FROM people p;
                INSERT INTO conversations (id, organization_id, customer_id, staff_id, channel, status, assistant_state, last_inbound_at, last_message_at,
                                           created_at, updated_at, address, bot_paused_until)
                SELECT gen_random_uuid(), '{org}', c.id, NULL, 'whatsapp', 'bot', NULL, now() - interval '40 days', now() - interval '40 days',
                       now() - interval '40 days', now(), c.phone_number, NULL
                FROM customers c WHERE right(c.phone_number, 1) IN ('0', '2', '4', '6', '8');
                WITH s AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM staff),
                     c AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM customers),
                     svc AS (SELECT id FROM services LIMIT 1)
                INSERT INTO appointments (id, organization_id, customer_id, staff_id, service_id, location_id, start_at, end_at, blocked_until, status, source,
                                          notes, cancellation_reason, cancelled_at, price_cents, currency, reminder_sent_at, created_at, updated_at)
                SELECT gen_random_uuid(), '{org}', c.id, s.id, svc.id, NULL, t.start_at, t.start_at + interval '30 minutes', t.start_at + interval '30 minutes',
                       CASE WHEN t.due OR t.future THEN 'confirmed' ELSE 'completed' END, 'api', NULL, NULL, NULL, 10000, 'MXN',
                       CASE WHEN t.due THEN NULL WHEN t.future THEN NULL ELSE t.start_at - interval '1 day' END,
                       now() - interval '30 days', now()
                FROM s CROSS JOIN svc
                CROSS JOIN LATERAL (
                    SELECT k,
                           (s.n <= {due / 10} AND k < 10) AS due,
                           (k >= 10 AND k < 20) AS future,
                           CASE WHEN s.n <= {due / 10} AND k < 10 THEN now() + make_interval(hours => 1 + k * 2)
                                WHEN k < 20 THEN now() + make_interval(days => 3 + k)
                                ELSE now() - make_interval(days => k) END AS start_at
                    FROM generate_series(0, {PerStaff - 1}) k) t
                JOIN c ON c.n = CASE WHEN t.due THEN (s.n - 1) * 10 + t.k + 1 ELSE ((s.n - 1) * {PerStaff} + t.k) % {customerCount} + 1 END;
                ANALYZE appointments;
                """);
#pragma warning restore EF1002
        }

        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KaribuDb>();
            var count = await db.Appointments.IgnoreQueryFilters().CountAsync();
            Console.WriteLine($"seeded {count:N0} appointments with {staffCount:N0} staff and {customerCount:N0} customers in {clock.Elapsed.TotalSeconds:F1} s");
        }

        var worker = provider.GetRequiredService<NotificationWorker>();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        clock.Restart();
        var sent = await worker.RunOnceAsync(CancellationToken.None);
        var elapsed = clock.Elapsed;
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KaribuDb>();
            var queued = await db.Messages.IgnoreQueryFilters().CountAsync(m => m.Purpose == Karibu.Features.Conversations.MessagePurpose.Reminder);
            Console.WriteLine($"due reminders found and enqueued: {sent:N0} (reminder messages in the outbox: {queued:N0}) in {elapsed.TotalSeconds:F2} s "
                              + $"= {sent / elapsed.TotalSeconds:N0}/s, Karibu CPU {cpu.TotalSeconds:F2} s; a second pass enqueues {await worker.RunOnceAsync(CancellationToken.None)}");
        }
    }
}
