using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Karibu.Bench;

/// <summary>
/// A guided turn end to end: a customer's signed WhatsApp webhook goes in, and the turn ends when the
/// assistant's reply is queued, i.e. its outbound Message row (purpose reply) is committed in
/// PostgreSQL. N customers chat at once, each with its own number, each running a booking script in
/// a loop (send, wait for the reply, "think", send the next).
/// <code>
/// dotnet run -c Release --project bench/Karibu.Bench -- guided-turn ["Host=...;Database=..."] [conversations=200] [turn ...]
///     [--think=MS] [--warmup=S] [--seconds=S] [--perf-map] [--server-env=NAME=VALUE ...]
/// </code>
/// Karibu runs in its own process with its workers on (inbox processor and outbox dispatcher; the
/// replies are sent to a fake Graph API in the bare server's process), on the database named, which
/// is dropped and recreated. How the bench sees "reply queued": it adds an AFTER INSERT trigger on
/// <c>messages</c> that calls <c>pg_notify</c> for outbound replies, and LISTENs; PostgreSQL delivers
/// a notification only once the inserting transaction commits, so the time it arrives is the moment
/// the reply became visible to the dispatcher (the trigger adds one primary-key lookup of the
/// conversation to that transaction). Latency = notification received − webhook POST sent, on one
/// monotonic clock. The reply row's <c>created_at</c> (stamped by Karibu at SaveChanges, before the
/// commit) is reported beside it.
/// The default script books and then cancels (so the calendar never fills however long the run):
/// hola → quiero un corte → {when} → {pick} → sí → quiero cancelar mi cita → sí, where {when} is a
/// day in the next 40 and a part of it (see <see cref="When"/>) and {pick} one of the first three times offered. Turns given on the command line
/// replace it (the same placeholders work there).
/// Think time between a reply and the next message is uniform in [0.5, 1.5] × <c>--think</c>
/// (default 3,000 ms: a brisk customer; most take longer to read and type, so this is a heavier load
/// than 200 real chats); <c>--think=0</c> is a saturation test. Warm-up defaults to 60 s: on two
/// cores Karibu's tiered JIT is still busy after 30 s of this load.
/// </summary>
internal static class GuidedTurn
{
    private const string DefaultConnectionString = "Host=127.0.0.1;Port=5432;Database=karibu_bench_guided;Username=karibu;Password=karibu";
    private const string Channel = "bench_reply";

    private static readonly string[] DefaultScript = ["hola", "quiero un corte", "{when}", "{pick}", "sí", "quiero cancelar mi cita", "sí"];

    private static readonly string[] Months =
        ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"];

    private static readonly (string Name, int Minutes, int PriceCents)[] Services =
        [("Corte de cabello", 30, 25_000), ("Arreglo de barba", 20, 15_000), ("Corte y barba", 50, 35_000), ("Tinte", 60, 60_000)];

    private static readonly string[] Barbers = ["Luis", "Ana", "Jorge", "Marisol", "Pedro", "Carla"];

    public static async Task RunAsync(string[] args)
    {
        var positional = args.Skip(1).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        var connectionString = positional.Count > 0 ? positional[0]
            : Environment.GetEnvironmentVariable("KARIBU_BENCH_POSTGRES") ?? DefaultConnectionString;
        var conversations = positional.Count > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : 200;
        var script = positional.Count > 2 ? positional.Skip(2).ToArray() : DefaultScript;
        var think = TimeSpan.FromMilliseconds(WebhookIngest.Option(args, "--think=") is { } t ? double.Parse(t, CultureInfo.InvariantCulture) : 3000);
        var warmUp = TimeSpan.FromSeconds(WebhookIngest.Option(args, "--warmup=") is { } w ? double.Parse(w, CultureInfo.InvariantCulture) : 60);
        var measure = TimeSpan.FromSeconds(WebhookIngest.Option(args, "--seconds=") is { } s ? double.Parse(s, CultureInfo.InvariantCulture) : 60);
        var perfMap = args.Contains("--perf-map");

        await using var servers = new WebhookIngest.ChildProcesses();
        Console.CancelKeyPress += (_, _) => servers.KillAll();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => servers.KillAll();
        await WebhookIngest.DropDatabaseAsync(connectionString);

        var barePort = WebhookIngest.FreePort();
        var karibuPort = WebhookIngest.FreePort();
        var diagnostics = perfMap ? new Dictionary<string, string> { ["DOTNET_PerfMapEnabled"] = "1", ["DOTNET_EnableWriteXorExecute"] = "0" } : [];
        var bare = servers.Start("fake graph", [WebhookIngest.BenchAssembly, "bare-server", barePort.ToString(CultureInfo.InvariantCulture), "--fake-graph"],
            new Dictionary<string, string>(diagnostics) { ["DOTNET_gcServer"] = "1" });
        var karibuEnvironment = new Dictionary<string, string>(diagnostics)
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{karibuPort.ToString(CultureInfo.InvariantCulture)}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Karibu"] = connectionString,
            ["Karibu__Database__Provider"] = "Postgres",
            ["Karibu__AdminApiKey"] = WebhookIngest.AdminKey,
            ["Karibu__WhatsApp__AppSecret"] = WebhookIngest.AppSecret,
            ["Karibu__WhatsApp__GraphBaseUrl"] = $"http://127.0.0.1:{barePort.ToString(CultureInfo.InvariantCulture)}",
            ["Karibu__SeedDemoBusiness"] = "false",
            ["Karibu__Messaging__RunWorkers"] = "true",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (name, value) in WebhookIngest.ServerEnvironment(args))
        {
            karibuEnvironment[name] = value;
        }

        var karibu = servers.Start("karibu", [WebhookIngest.KaribuAssembly], karibuEnvironment);
        var karibuBase = new Uri($"http://127.0.0.1:{karibuPort.ToString(CultureInfo.InvariantCulture)}/");
        var webhookUri = new Uri(karibuBase, "api/v1/webhooks/whatsapp");

        using var setupClient = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await WebhookIngest.WaitHealthyAsync(setupClient, karibu, new Uri(karibuBase, "healthz"), TimeSpan.FromSeconds(120));
        await WebhookIngest.WaitReadyAsync(setupClient, bare, new Uri($"http://127.0.0.1:{barePort.ToString(CultureInfo.InvariantCulture)}/"), TimeSpan.FromSeconds(60));
        await ArrangeAsync(setupClient, karibuBase);
        await InstallTriggerAsync(connectionString);

        var lanes = Enumerable.Range(0, conversations).Select(i => new Lane(i)).ToArray();
        var byAddress = lanes.ToDictionary(l => l.Address, StringComparer.Ordinal);
        using var stop = new CancellationTokenSource();
        var unexpected = 0;
        var listener = ListenAsync(connectionString, byAddress, () => Interlocked.Increment(ref unexpected), stop.Token);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"conversations={conversations} script=[{string.Join(" → ", script)}] think={think.TotalMilliseconds:F0} ms (uniform ×0.5–1.5) " +
            $"warm-up={warmUp.TotalSeconds:F0} s measure={measure.TotalSeconds:F0} s cores={Environment.ProcessorCount}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pids: bench={Environment.ProcessId} fake-graph={bare.Process.Id} karibu={karibu.Process.Id}"));
        karibu.ResetWarnings();

        using var client = WebhookIngest.LoadClient(conversations);
        var factory = new BodyFactory();
        var start = Stopwatch.GetTimestamp();
        var measureStart = start + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var measureEnd = measureStart + (long)(measure.TotalSeconds * Stopwatch.Frequency);
        var usage = new WebhookIngest.CpuUsage(karibu.Process, new NpgsqlConnectionStringBuilder(connectionString).Database!);
        long commits = 0;
        var usageTask = Task.Run(async () =>
        {
            await Task.Delay(warmUp);
            var before = await WebhookIngest.CommitsAsync(connectionString);
            usage.Begin();
            await Task.Delay(measure);
            usage.End();
            commits = await WebhookIngest.CommitsAsync(connectionString) - before;
        });

        var tasks = lanes.Select(lane => Task.Run(async () =>
        {
            var random = new Random(lane.Index);
            // Start spread over one think time, as chats do not all begin in the same millisecond.
            await Task.Delay(TimeSpan.FromMilliseconds(random.NextDouble() * Math.Max(think.TotalMilliseconds, 1000)));
            var round = 0;
            while (Stopwatch.GetTimestamp() < measureEnd)
            {
                var when = When(lane.Index, round);
                for (var step = 0; step < script.Length && Stopwatch.GetTimestamp() < measureEnd; step++)
                {
                    var text = script[step].Replace("{when}", when, StringComparison.Ordinal)
                        .Replace("{pick}", ((lane.Index + round) % 3 + 1).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
                    var expected = lane.Sent + 1;
                    var body = factory.Create(lane, text);
                    var waiting = lane.WaitForReplyAsync(expected);
                    var sentWall = TimeProvider.System.GetUtcNow().UtcDateTime;
                    var sent = Stopwatch.GetTimestamp();
                    lane.Sent = expected;
                    var status = 0;
                    try
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Post, webhookUri) { Content = new ByteArrayContent(body.Body) };
                        request.Content.Headers.ContentType = WebhookIngest.JsonContentType;
                        request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", body.Signature);
                        using var response = await client.SendAsync(request);
                        status = (int)response.StatusCode;
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                    {
                        status = -1;
                    }

                    var acked = Stopwatch.GetTimestamp();
                    var measured = sent >= measureStart && sent < measureEnd;
                    if (status != 200)
                    {
                        lane.Sent = expected - 1;
                        if (measured)
                        {
                            lane.Failed++;
                        }

                        continue;
                    }

                    var reply = await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromSeconds(30))) == waiting ? await waiting : null;
                    if (measured)
                    {
                        lane.Acks.Add(acked - sent);
                        if (reply is null)
                        {
                            lane.TimedOut++;
                        }
                        else
                        {
                            lane.Turns.Add(new TurnResult(step, reply.Received - sent, (reply.CreatedAt - sentWall).Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond, reply.Body));
                        }
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(think.TotalMilliseconds * (0.5 + random.NextDouble())));
                }

                round++;
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        await usageTask;
        await stop.CancelAsync();
        await listener;

        Print(lanes, script, measure, usage, commits, unexpected);
        await PrintInboxTimesAsync(connectionString);
        if (karibu.Process.HasExited || bare.Process.HasExited)
        {
            throw new InvalidOperationException("A server process died during the run; see its log above.");
        }

        karibu.PrintWarnings();
    }

    /// <summary>
    /// The day a customer asks for: "mañana en la tarde" now and then, otherwise a date in the next 40
    /// days and a part of the day ("el 3 de diciembre en la mañana"), spread so that customers do not
    /// all want the same hour (200 people chatting at once with one small shop is already a lot).
    /// </summary>
    private static string When(int customer, int round)
    {
        if ((customer + round) % 8 == 0)
        {
            return "mañana en la tarde";
        }

        var zone = NodaTime.DateTimeZoneProviders.Tzdb["America/Mexico_City"];
        var day = NodaTime.SystemClock.Instance.GetCurrentInstant().InZone(zone).Date.PlusDays(1 + ((customer * 7) + (round * 3)) % 40);
        var part = (customer + round) % 2 == 0 ? "mañana" : "tarde";
        return string.Create(CultureInfo.InvariantCulture, $"el {day.Day} de {Months[day.Month - 1]} en la {part}");
    }

    private static void Print(Lane[] lanes, string[] script, TimeSpan measure, WebhookIngest.CpuUsage usage, long commits, int unexpected)
    {
        var turns = lanes.SelectMany(l => l.Turns).ToList();
        var acks = lanes.SelectMany(l => l.Acks).Order().ToArray();
        var rate = turns.Count / measure.TotalSeconds;
        Console.WriteLine();
        Console.WriteLine("| measured from webhook POST sent to…           | turns  | turns/s | p50 ms | p95 ms | p99 ms | max ms |");
        Console.WriteLine("|------------------------------------------------|-------:|--------:|-------:|-------:|-------:|-------:|");
        Row("reply committed (NOTIFY received) ← the figure", turns.Select(x => x.Latency).ToArray());
        Row("reply row created_at (stamped before commit)", turns.Select(x => x.ToCreatedAt).ToArray());
        Row("webhook answered 200", acks);
        Console.WriteLine();
        Console.WriteLine("By step (reply committed), with the commonest reply start:");
        for (var step = 0; step < script.Length; step++)
        {
            var these = turns.Where(x => x.Step == step).ToList();
            if (these.Count == 0)
            {
                continue;
            }

            var latencies = these.Select(x => x.Latency).Order().ToArray();
            var common = these.GroupBy(x => Start(x.Body)).OrderByDescending(g => g.Count()).Take(2)
                .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count() * 100.0 / these.Count:F0}% «{g.Key}»"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {step + 1}. {script[step],-24} n={these.Count,6} p50={Ms(latencies, 0.5),6:F1} p99={Ms(latencies, 0.99),6:F1} max={Ms(latencies, 1),6:F1}  {string.Join(", ", common)}"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"no reply within 30 s: {lanes.Sum(l => l.TimedOut)}; webhook not answered 200: {lanes.Sum(l => l.Failed)}; replies nobody waited for: {unexpected}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CPU (share of one core, 200% = both): karibu {usage.Server:F0}%, bench+fake graph {usage.Generator:F0}%+, postgres {usage.Postgres:F0}%, " +
            $"machine {usage.Machine:F0}%; per turn: karibu {usage.Server * 10_000 / rate:F0} µs, postgres {usage.Postgres * 10_000 / rate:F0} µs; " +
            $"commits {commits / measure.TotalSeconds:F0}/s ({commits / (double)Math.Max(1, turns.Count):F1} per turn)"));
        return;

        void Row(string label, long[] ticks)
        {
            var sorted = ticks.Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label,-46} | {sorted.Length,6} | {sorted.Length / measure.TotalSeconds,7:F1} | {Ms(sorted, 0.5),6:F1} | {Ms(sorted, 0.95),6:F1} | {Ms(sorted, 0.99),6:F1} | {Ms(sorted, 1),6:F1} |"));
        }

        static string Start(string body)
        {
            var line = body.Split('\n')[0];
            return line.Length > 34 ? line[..34] + "…" : line;
        }
    }

    private static double Ms(long[] sorted, double quantile) => sorted.Length == 0 ? double.NaN
        : sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)] * 1000.0 / Stopwatch.Frequency;

    /// <summary>Karibu's own view (its clock): stored → processed for every WhatsApp event of the run.</summary>
    private static async Task PrintInboxTimesAsync(string connectionString)
    {
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT count(*),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM processed_at - received_at)) * 1000,
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM processed_at - received_at)) * 1000,
                   max(extract(epoch FROM processed_at - received_at)) * 1000,
                   avg(attempts)
            FROM inbox_events WHERE source = 'whatsapp' AND state = 'processed'
            """, db);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"inbox_events (whole run, Karibu's clock): {reader.GetInt64(0)} processed; received_at → processed_at p50 {reader.GetDouble(1):F1} ms, " +
            $"p99 {reader.GetDouble(2):F1} ms, max {reader.GetDecimal(3):F1} ms; attempts per event {reader.GetDecimal(4):F2}"));
    }

    /// <summary>A business as a barbershop sets one up: four services, six barbers, the default hours (Mon–Sat).</summary>
    private static async Task ArrangeAsync(HttpClient client, Uri karibuBase)
    {
        var organization = await PostAsync(client, new Uri(karibuBase, "api/v1/organizations"), WebhookIngest.AdminKey,
            """{"name":"Barbería Bench","business_type":"barbershop","timezone":"America/Mexico_City","locale":"es-MX","currency":"MXN","country_code":"MX","phone_number":"55 1234 5678"}""");
        var id = organization.RootElement.GetProperty("id").GetString();
        var apiKey = organization.RootElement.GetProperty("api_key").GetString()!;
        var path = new Uri(karibuBase, $"api/v1/organizations/{id}/");
        (await PostAsync(client, new Uri(path, "connect-whatsapp"), apiKey,
            $$"""{"phone_number_id":"{{WebhookIngest.PhoneNumberId}}","waba_id":"100000000000001","access_token":"x","display_phone_number":"525500000001"}""")).Dispose();
        foreach (var (name, minutes, price) in Services)
        {
            (await PostAsync(client, new Uri(path, "services"), apiKey,
                JsonSerializer.Serialize(new Dictionary<string, object> { ["name"] = name, ["duration_minutes"] = minutes, ["price_cents"] = price }))).Dispose();
        }

        foreach (var (name, i) in Barbers.Select((n, i) => (n, i)))
        {
            (await PostAsync(client, new Uri(path, "staff"), apiKey,
                JsonSerializer.Serialize(new Dictionary<string, object> { ["name"] = name, ["phone_number"] = $"55 9000 000{i}" }))).Dispose();
        }

        organization.Dispose();
    }

    private static async Task<JsonDocument> PostAsync(HttpClient client, Uri uri, string key, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await client.SendAsync(request);
        return await WebhookIngest.ReadJsonAsync(response, $"POST {uri.AbsolutePath}");
    }

    /// <summary>The bench's window on "reply queued": a notification per outbound reply, sent at its commit.</summary>
    private static async Task InstallTriggerAsync(string connectionString)
    {
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand(
            $$"""
            CREATE OR REPLACE FUNCTION bench_reply_notify() RETURNS trigger LANGUAGE plpgsql AS $f$
            BEGIN
                IF NEW.direction = 'outbound' AND NEW.purpose = 'reply' THEN
                    PERFORM pg_notify('{{Channel}}', concat_ws('|',
                        (SELECT address FROM conversations WHERE id = NEW.conversation_id),
                        (extract(epoch FROM NEW.created_at) * 1000000)::bigint,
                        left(coalesce(NEW.body, ''), 80)));
                END IF;
                RETURN NULL;
            END
            $f$;
            CREATE TRIGGER bench_reply_notify AFTER INSERT ON messages FOR EACH ROW EXECUTE FUNCTION bench_reply_notify();
            """, db);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task ListenAsync(string connectionString, Dictionary<string, Lane> lanes, Action unexpected, CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        await using var db = new NpgsqlConnection(builder.ConnectionString);
        await db.OpenAsync(ct);
        db.Notification += (_, e) =>
        {
            var received = Stopwatch.GetTimestamp();
            var parts = e.Payload.Split('|', 3);
            var createdAt = DateTime.UnixEpoch.AddTicks(long.Parse(parts[1], CultureInfo.InvariantCulture) * 10);
            if (!lanes.TryGetValue(parts[0], out var lane) || !lane.Replied(new Reply(received, createdAt, parts[2])))
            {
                unexpected();
            }
        };
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", db))
        {
            await listen.ExecuteNonQueryAsync(ct);
        }

        try
        {
            while (true)
            {
                await db.WaitAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private sealed record Reply(long Received, DateTime CreatedAt, string Body);

    private sealed record TurnResult(int Step, long Latency, long ToCreatedAt, string Body);

    /// <summary>One customer's chat: its number, the replies it got (the k-th reply answers the k-th message) and its measurements.</summary>
    private sealed class Lane(int index)
    {
        private readonly List<Reply> _replies = [];
        private (int Count, TaskCompletionSource<Reply> Done)? _waiting;

        public int Index { get; } = index;

        /// <summary>WhatsApp id 521 55 XXXX XXXX; Karibu stores the chat under +52 55 XXXX XXXX.</summary>
        public string WaId { get; } = string.Create(CultureInfo.InvariantCulture, $"52155{20_000_000 + index}");

        public string Address => "+52" + WaId[3..];

        public int Sent { get; set; }

        public List<TurnResult> Turns { get; } = [];

        public List<long> Acks { get; } = [];

        public int TimedOut { get; set; }

        public int Failed { get; set; }

        public Task<Reply> WaitForReplyAsync(int count)
        {
            lock (_replies)
            {
                if (_replies.Count >= count)
                {
                    return Task.FromResult(_replies[count - 1]);
                }

                var done = new TaskCompletionSource<Reply>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting = (count, done);
                return done.Task;
            }
        }

        /// <summary>False when the reply answers nothing sent (more than one reply to a message).</summary>
        public bool Replied(Reply reply)
        {
            lock (_replies)
            {
                _replies.Add(reply);
                if (_waiting is { } w && _replies.Count >= w.Count)
                {
                    _waiting = null;
                    w.Done.TrySetResult(_replies[w.Count - 1]);
                }

                return _replies.Count <= Sent;
            }
        }
    }

    /// <summary>Text messages as WhatsApp's webhook sends them (shared/fixtures/whatsapp/inbound-text.json), signed with the app secret.</summary>
    private sealed class BodyFactory
    {
        private static readonly byte[] Secret = Encoding.UTF8.GetBytes(WebhookIngest.AppSecret);
        private readonly string _run = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        private readonly ConcurrentDictionary<int, int> _sequence = new();

        public WebhookIngest.SignedBody Create(Lane lane, string text)
        {
            var n = _sequence.AddOrUpdate(lane.Index, 1, (_, v) => v + 1);
            var json = string.Create(CultureInfo.InvariantCulture,
                $$$"""{"object":"whatsapp_business_account","entry":[{"id":"100000000000001","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"525500000001","phone_number_id":"{{{WebhookIngest.PhoneNumberId}}}"},"contacts":[{"profile":{"name":"Cliente {{{lane.Index}}}"},"wa_id":"{{{lane.WaId}}}"}],"messages":[{"from":"{{{lane.WaId}}}","id":"wamid.GUIDED_{{{_run}}}_{{{lane.Index}}}_{{{n}}}","timestamp":"{{{TimeProvider.System.GetUtcNow().ToUnixTimeSeconds()}}}","type":"text","text":{"body":{{{JsonSerializer.Serialize(text)}}}}}]},"field":"messages"}]}]}""");
            var body = Encoding.UTF8.GetBytes(json);
            return new WebhookIngest.SignedBody(body, "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Secret, body)));
        }
    }
}
