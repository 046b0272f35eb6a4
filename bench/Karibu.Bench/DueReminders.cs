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
/// chat with the business (their reminder goes there); the others get a new conversation. A pass over a business
/// a tenth the size, repeated, warms the worker up first (JIT tiers, EF's query cache, pooled connections), as a
/// long-running server's earlier passes would have.
/// </summary>
internal static class DueReminders
{
    public static async Task RunAsync(string[] args)
    {
        var connectionString = args.Length > 1 ? args[1] : throw new InvalidOperationException("Give a PostgreSQL connection string.");
        var total = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000_000;
        var due = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 100_000;

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
        services.AddDbContext<KaribuDb>((sp, db) => db.UseNpgsql(DataSetup.WithPostgresDefaults(connectionString), o => o.CommandTimeout(600))
            .AddInterceptors(sp.GetRequiredService<TenantInterceptor>())
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning)));
        await using var provider = services.BuildServiceProvider();
        await using (var scope = provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<KaribuDb>().Database.EnsureDeletedAsync();
        }

        await provider.MigrateDatabaseAsync();
        var worker = provider.GetRequiredService<NotificationWorker>();

        // The worker runs inside a long-lived server: warm it up (JIT and tiering, EF's query cache, pooled
        // connections) on a small business first, as the passes before the measured one would have.
        var warmUp = await SeedAsync(provider, "Warm-up", "200000000000098", "+5234", total / 10, due / 10);
        var warmed = 0;
        for (var pass = 0; pass < WarmUpPasses; pass++)
        {
            warmed = await worker.RunOnceAsync(CancellationToken.None);
            if (pass == WarmUpPasses - 1)
            {
                break;
            }

            await using var scope = provider.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<KaribuDb>().Database.ExecuteSqlAsync($"""
                UPDATE appointments SET reminder_sent_at = NULL WHERE organization_id = {warmUp} AND reminder_sent_at IS NOT NULL AND start_at > now();
                DELETE FROM messages WHERE organization_id = {warmUp};
                DELETE FROM conversations WHERE organization_id = {warmUp} AND created_at > now() - interval '1 hour';
                """);
        }

        Console.WriteLine($"warm-up: {WarmUpPasses} passes of {warmed:N0} reminders on a business a tenth the size");

        var clock = Stopwatch.StartNew();
        await SeedAsync(provider, "Bench", "200000000000099", "+5233", total, due);
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KaribuDb>();
            var count = await db.Appointments.IgnoreQueryFilters().CountAsync();
            Console.WriteLine($"seeded {count:N0} appointments (of which the measured business: {total:N0}, {due:N0} due) in {clock.Elapsed.TotalSeconds:F1} s");
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        clock.Restart();
        var sent = await worker.RunOnceAsync(CancellationToken.None);
        var elapsed = clock.Elapsed;
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KaribuDb>();
            var queued = await db.Messages.IgnoreQueryFilters().CountAsync(m => m.Purpose == Karibu.Features.Conversations.MessagePurpose.Reminder) - warmed;
            Console.WriteLine($"due reminders found and enqueued: {sent:N0} (reminder messages in the outbox: {queued:N0}) in {elapsed.TotalSeconds:F2} s "
                              + $"= {sent / elapsed.TotalSeconds:N0}/s, Karibu CPU {cpu.TotalSeconds:F2} s; a second pass enqueues {await worker.RunOnceAsync(CancellationToken.None)}");
        }
    }

    private const int WarmUpPasses = 6;

    private static async Task<Guid> SeedAsync(IServiceProvider provider, string name, string phoneNumberId, string prefix, int total, int due)
    {
        const int PerStaff = 100;
        var staffCount = total / PerStaff;
        var customerCount = Math.Max(due, staffCount);
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KaribuDb>();
            var tenant = scope.ServiceProvider.GetRequiredService<TenantContext>();
            var (organization, _) = await OrganizationSetup.AddAsync(db, tenant, new OrganizationSetup.Validated(
                name, BusinessType.Barbershop, "America/Mexico_City", "es-MX", "MXN", "MX", null, BusinessHours.Default(), new OrganizationSettings()), name.ToLowerInvariant());
            db.Services.Add(new Service { Name = "Corte", DurationMinutes = 30, PriceCents = 10_000, Currency = "MXN" });
            db.ChannelAccounts.Add(new ChannelAccount { Kind = ChannelKind.Whatsapp, ExternalId = phoneNumberId, EncryptedSecret = "x" });
            await db.SaveChangesAsync();
            var org = organization.Id;
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
#pragma warning disable EF1002 // Only numbers and a Guid generated here go into the seeding SQL.
            await db.Database.ExecuteSqlRawAsync($"""
                INSERT INTO staff (id, organization_id, name, phone_number, role, permissions, is_active, service_ids, created_at, updated_at)
                SELECT gen_random_uuid(), '{org}', 'Staff ' || g, '+5255' || '{prefix[^1]}' || lpad(g::text, 7, '0'), 'employee', '[]', true, NULL, now(), now()
                FROM generate_series(1, {staffCount}) g;
                INSERT INTO people (id, phone_number, profile_name, opted_out_at, created_at, updated_at)
                SELECT gen_random_uuid(), '{prefix}' || lpad(g::text, 8, '0'), NULL, NULL, now(), now() FROM generate_series(1, {customerCount}) g;
                INSERT INTO customers (id, organization_id, person_id, phone_number, display_name, email, notes, tags, visit_count, last_visit_at,
                                       total_spent_cents, contact_cadence_days, marketing_opted_out_at, opted_out_at, opted_out_channels, source, created_at, updated_at)
                SELECT gen_random_uuid(), '{org}', p.id, p.phone_number, 'Cliente ' || right(p.phone_number, 4), NULL, NULL, '[]', 0, NULL, 0, NULL, NULL, NULL, '[]', 'api', now(), now()
                FROM people p WHERE p.phone_number LIKE '{prefix}%';
                INSERT INTO conversations (id, organization_id, customer_id, staff_id, channel, status, assistant_state, last_inbound_at, last_message_at,
                                           created_at, updated_at, address, bot_paused_until)
                SELECT gen_random_uuid(), '{org}', c.id, NULL, 'whatsapp', 'bot', NULL, now() - interval '40 days', now() - interval '40 days',
                       now() - interval '40 days', now(), c.phone_number, NULL
                FROM customers c WHERE c.organization_id = '{org}' AND right(c.phone_number, 1) IN ('0', '2', '4', '6', '8');
                WITH s AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM staff WHERE organization_id = '{org}'),
                     c AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM customers WHERE organization_id = '{org}'),
                     svc AS (SELECT id FROM services WHERE organization_id = '{org}' LIMIT 1)
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
                """);
#pragma warning restore EF1002

            // Measure the steady state, not the aftermath of a bulk load: autovacuum and a checkpoint would
            // otherwise run during the pass (CHECKPOINT needs a superuser or pg_checkpoint; skipped without).
            await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE appointments, customers, people, conversations, staff");
            try
            {
                await db.Database.ExecuteSqlRawAsync("CHECKPOINT");
            }
            catch (Npgsql.PostgresException e) when (e.SqlState == "42501")
            {
                Console.WriteLine("(no CHECKPOINT: not allowed for this user)");
            }

            return org;
        }
    }
}
