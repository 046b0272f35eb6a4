using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Karibu.Bench;

/// <summary>
/// Load driver for the WhatsApp webhook: the real Karibu app (its own process, Kestrel, PostgreSQL)
/// takes signed inbound-message webhooks from N keep-alive connections, and in the same run a bare
/// endpoint that only answers 200 takes the same requests, as the ceiling of this machine.
/// <code>
/// dotnet run -c Release --project bench/Karibu.Bench -- webhook-ingest ["Host=...;Database=..."] [connections=64] [seconds=15]
///     [--warmup=15] [--workers] [--pool=250000] [--perf-map] [--server-env=NAME=VALUE ...]
/// </code>
/// The database named is dropped and recreated by Karibu on start. Each target gets the warm-up before
/// its measured seconds: 15 s by default because a freshly started Karibu on two cores needs about
/// 10 s of load before tiered JIT settles (after 3 s a quarter of its CPU was still in the JIT and it
/// acknowledged a fifth of its steady rate); the per-second timeline printed shows the ramp. <c>--workers</c> runs Karibu's inbox
/// processor and outbox dispatcher during the measurement (replies go to a fake Graph API in the
/// bare server's process); without it the node is web-only and only the ingest path is measured.
/// After the run every acknowledged event must be in <c>inbox_events</c>, and a replay of 1,000
/// acknowledged bodies must add no row.
/// </summary>
internal static class WebhookIngest
{
    private const string DefaultConnectionString = "Host=127.0.0.1;Port=5432;Database=karibu_bench;Username=karibu;Password=karibu";
    internal const string AppSecret = "bench-app-secret-7f3c9a1e5d2b4c6a8e0f";
    internal const string AdminKey = "kb_admin_bench_key_0123456789abcdef";
    internal const string PhoneNumberId = "200000000000001";
    private const int ReplayCount = 1_000;

    /// <summary>
    /// shared/fixtures/whatsapp/inbound-text.json, compact; the id, timestamp and sender are replaced
    /// per request (senders cycle through 1,000 customers, as real traffic comes from many chats).
    /// </summary>
    private const string Fixture =
        """{"object":"whatsapp_business_account","entry":[{"id":"100000000000001","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"525500000001","phone_number_id":"200000000000001"},"contacts":[{"profile":{"name":"María Fernández"},"wa_id":"5215500000101"}],"messages":[{"from":"5215500000101","id":"wamid.FAKE_MX_IN_TEXT_0001","timestamp":"1767301200","type":"text","text":{"body":"Hola, quiero agendar una cita para el jueves"}}]},"field":"messages"}]}]}""";

    public static async Task RunAsync(string[] args)
    {
        var positional = args.Skip(1).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        var connectionString = positional.Count > 0 ? positional[0]
            : Environment.GetEnvironmentVariable("KARIBU_BENCH_POSTGRES") ?? DefaultConnectionString;
        var connections = positional.Count > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : 64;
        var seconds = positional.Count > 2 ? int.Parse(positional[2], CultureInfo.InvariantCulture) : 15;
        var workers = args.Contains("--workers");
        // For profiling with `perf record -p <pid>`: the servers write /tmp/perf-<pid>.map for JIT-compiled code.
        var perfMap = args.Contains("--perf-map");
        var poolSize = Option(args, "--pool=") is { } p
            ? int.Parse(p, CultureInfo.InvariantCulture)
            : 250_000;
        var warmUp = TimeSpan.FromSeconds(Option(args, "--warmup=") is { } w ? double.Parse(w, CultureInfo.InvariantCulture) : 15);

        await using var servers = new ChildProcesses();
        Console.CancelKeyPress += (_, _) => servers.KillAll();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => servers.KillAll();

        await DropDatabaseAsync(connectionString);

        var barePort = FreePort();
        var karibuPort = FreePort();
        var bareArgs = new List<string> { BenchAssembly, "bare-server", barePort.ToString(CultureInfo.InvariantCulture) };
        if (workers)
        {
            bareArgs.Add("--fake-graph");
        }

        // Karibu runs with server GC (a web project); the bare server gets the same.
        var diagnostics = perfMap ? new Dictionary<string, string> { ["DOTNET_PerfMapEnabled"] = "1", ["DOTNET_EnableWriteXorExecute"] = "0" } : [];
        var bare = servers.Start("bare", bareArgs, new Dictionary<string, string>(diagnostics) { ["DOTNET_gcServer"] = "1" });
        var karibuEnvironment = new Dictionary<string, string>(diagnostics)
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{karibuPort.ToString(CultureInfo.InvariantCulture)}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Karibu"] = connectionString,
            ["Karibu__Database__Provider"] = "Postgres",
            ["Karibu__AdminApiKey"] = AdminKey,
            ["Karibu__WhatsApp__AppSecret"] = AppSecret,
            ["Karibu__WhatsApp__GraphBaseUrl"] = $"http://127.0.0.1:{barePort.ToString(CultureInfo.InvariantCulture)}",
            ["Karibu__SeedDemoBusiness"] = "false",
            ["Karibu__Messaging__RunWorkers"] = workers ? "true" : "false",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (name, value) in ServerEnvironment(args))
        {
            karibuEnvironment[name] = value;
        }

        var karibu = servers.Start("karibu", [KaribuAssembly], karibuEnvironment);

        var bareUri = new Uri($"http://127.0.0.1:{barePort.ToString(CultureInfo.InvariantCulture)}/");
        var karibuBase = new Uri($"http://127.0.0.1:{karibuPort.ToString(CultureInfo.InvariantCulture)}/");
        var webhookUri = new Uri(karibuBase, "api/v1/webhooks/whatsapp");

        var bodies = new BodyFactory(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds());
        var watch = Stopwatch.StartNew();
        var pool = bodies.CreatePool(poolSize);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Prepared {pool.Length:N0} signed bodies ({pool[0].Body.Length} bytes each) in {watch.Elapsed.TotalSeconds:F1} s"));

        using var setupClient = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await WaitHealthyAsync(setupClient, karibu, new Uri(karibuBase, "healthz"), TimeSpan.FromSeconds(120));
        await WaitReadyAsync(setupClient, bare, bareUri, TimeSpan.FromSeconds(60));
        await ArrangeAsync(setupClient, karibuBase);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"connections={connections} warm-up={warmUp.TotalSeconds:F0} s measure={seconds} s workers={(workers ? "on" : "off")} cores={Environment.ProcessorCount}"));

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pids: bench={Environment.ProcessId} bare={bare.Process.Id} karibu={karibu.Process.Id}"));
        karibu.ResetWarnings();
        var bareResult = await LoadAsync("bare 200", bareUri, connections, warmUp, TimeSpan.FromSeconds(seconds), pool, null, bare.Process, connectionString);
        var ingestResult = await LoadAsync("karibu ingest", webhookUri, connections, warmUp, TimeSpan.FromSeconds(seconds), pool, bodies, karibu.Process, connectionString);

        Console.WriteLine();
        LoadResult.PrintTable([bareResult, ingestResult]);
        ingestResult.PrintTimeline(warmUp);
        Console.WriteLine();

        await CheckDurabilityAsync(connectionString, ingestResult, webhookUri, connections, pool, bodies);
        if (karibu.Process.HasExited || bare.Process.HasExited)
        {
            throw new InvalidOperationException("A server process died during the run; see its log above.");
        }

        karibu.PrintWarnings();
    }

    /// <summary><c>--server-env=NAME=VALUE</c> (repeatable): extra environment for the Karibu process, for experiments.</summary>
    internal static IEnumerable<KeyValuePair<string, string>> ServerEnvironment(string[] args) =>
        args.Where(a => a.StartsWith("--server-env=", StringComparison.Ordinal))
            .Select(a => a["--server-env=".Length..].Split('=', 2))
            .Select(kv => KeyValuePair.Create(kv[0], kv.Length > 1 ? kv[1] : ""));

    internal static string? Option(string[] args, string prefix) =>
        args.FirstOrDefault(a => a.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];

    private static async Task CheckDurabilityAsync(
        string connectionString, LoadResult ingest, Uri webhookUri, int connections, SignedBody[] pool, BodyFactory bodies)
    {
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await using (var select = new NpgsqlCommand("SELECT event_key FROM inbox_events WHERE source = 'whatsapp'", db))
        await using (var reader = await select.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                keys.Add(reader.GetString(0));
            }
        }

        var acknowledged = ingest.AcknowledgedIndexes;
        var missing = acknowledged.Count(i => !keys.Contains(bodies.Wamid(i)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"durability: acknowledged (warm-up + measured + drain) = {acknowledged.Count:N0}, inbox_events rows (source='whatsapp') = {keys.Count:N0}, " +
            $"acknowledged but missing = {missing:N0} -> {(missing == 0 && keys.Count >= acknowledged.Count ? "OK" : "FAILED")}"));

        // Replay bodies already acknowledged: the provider's redelivery must be answered 200 and stored nothing new.
        var replay = acknowledged.Take(ReplayCount).ToArray();
        using var client = LoadClient(connections);
        var ok = 0;
        await Parallel.ForEachAsync(replay, new ParallelOptions { MaxDegreeOfParallelism = connections }, async (i, ct) =>
        {
            using var request = Request(webhookUri, SignedBodyAt(pool, bodies, i));
            using var response = await client.SendAsync(request, ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Interlocked.Increment(ref ok);
            }
        });
        await using var count = new NpgsqlCommand("SELECT count(*) FROM inbox_events WHERE source = 'whatsapp'", db);
        var after = (long)(await count.ExecuteScalarAsync())!;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dedup: replayed {replay.Length:N0} acknowledged bodies, {ok:N0} answered 200, rows {keys.Count:N0} -> {after:N0} " +
            $"(added {after - keys.Count:N0}) -> {(after == keys.Count && ok == replay.Length ? "OK" : "FAILED")}"));
    }

    /// <summary>
    /// Closed loop: every connection sends, waits for the answer, sends the next. The first
    /// <paramref name="warmUp"/> is not counted; then requests that complete within the window are.
    /// </summary>
    private static async Task<LoadResult> LoadAsync(
        string label, Uri target, int connections, TimeSpan warmUp, TimeSpan measure, SignedBody[] pool, BodyFactory? bodies, Process server,
        string connectionString)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: {warmUp.TotalSeconds:F0} s warm-up, then {measure.TotalSeconds:F0} s measured"));
        using var client = LoadClient(connections);
        var next = -1;
        var start = Stopwatch.GetTimestamp();
        var measureStart = start + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var measureEnd = measureStart + (long)(measure.TotalSeconds * Stopwatch.Frequency);
        var lanes = new Lane[connections];
        var usage = new CpuUsage(server, new NpgsqlConnectionStringBuilder(connectionString).Database!);
        var usageTask = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromTicks(Stopwatch.GetElapsedTime(start, measureStart).Ticks));
            var commitsBefore = await CommitsAsync(connectionString);
            usage.Begin();
            await Task.Delay(measure);
            usage.End();
            usage.Commits = await CommitsAsync(connectionString) - commitsBefore;
        });

        var tasks = Enumerable.Range(0, connections).Select(c => Task.Run(async () =>
        {
            var lane = lanes[c] = new Lane((int)Math.Ceiling((warmUp + measure).TotalSeconds) + 1);
            while (Stopwatch.GetTimestamp() < measureEnd)
            {
                var i = Interlocked.Increment(ref next);
                // The bare endpoint stores nothing, so it may see a body twice; Karibu must get unique events.
                using var request = Request(target, bodies is null ? pool[i % pool.Length] : SignedBodyAt(pool, bodies, i));
                var sent = Stopwatch.GetTimestamp();
                var status = 0;
                try
                {
                    using var response = await client.SendAsync(request);
                    status = (int)response.StatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or SocketException)
                {
                    status = -1;
                }

                var done = Stopwatch.GetTimestamp();
                if (status == 200)
                {
                    lane.Acknowledged.Add(i);
                    var second = (int)((done - start) / Stopwatch.Frequency);
                    if (second < lane.PerSecond.Length)
                    {
                        lane.PerSecond[second]++;
                    }
                }

                if (done >= measureStart && done < measureEnd)
                {
                    lane.Latencies.Add(done - sent);
                    if (status == 200)
                    {
                        lane.Ok++;
                    }
                    else if (status > 0)
                    {
                        lane.NotOk++;
                    }
                    else
                    {
                        lane.Failed++;
                    }
                }
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        await usageTask;
        if (bodies is not null && next >= pool.Length)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"note: {label} used {next + 1:N0} bodies, more than the {pool.Length:N0} prepared; the rest were signed during the run (raise --pool=)"));
        }

        return new LoadResult(label, connections, measure, lanes, usage, storesEvents: bodies is not null);
    }

    /// <summary>Transactions committed in the bench database so far (PostgreSQL's statistics, about a second behind).</summary>
    internal static async Task<long> CommitsAsync(string connectionString)
    {
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()", db);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    internal static HttpClient LoadClient(int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestVersion = HttpVersion.Version11,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    private static HttpRequestMessage Request(Uri target, SignedBody body)
    {
        var content = new ByteArrayContent(body.Body);
        content.Headers.ContentType = JsonContentType;
        var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = content };
        request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", body.Signature);
        return request;
    }

    internal static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    /// <summary>The pool covers a normal run; a longer or faster one signs the rest as it goes.</summary>
    private static SignedBody SignedBodyAt(SignedBody[] pool, BodyFactory bodies, int i) => i < pool.Length ? pool[i] : bodies.Create(i);

    private static async Task ArrangeAsync(HttpClient client, Uri karibuBase)
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, new Uri(karibuBase, "api/v1/organizations"))
        {
            Content = new StringContent(
                """{"name":"Bench","business_type":"barbershop","timezone":"America/Mexico_City","locale":"es-MX","currency":"MXN","country_code":"MX","phone_number":"55 1234 5678"}""",
                Encoding.UTF8, "application/json"),
        };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var created = await client.SendAsync(create);
        var organization = await ReadJsonAsync(created, "create organization");
        var id = organization.RootElement.GetProperty("id").GetString();
        var apiKey = organization.RootElement.GetProperty("api_key").GetString();

        using var connect = new HttpRequestMessage(HttpMethod.Post, new Uri(karibuBase, $"api/v1/organizations/{id}/connect-whatsapp"))
        {
            Content = new StringContent(
                $$"""{"phone_number_id":"{{PhoneNumberId}}","waba_id":"100000000000001","access_token":"x","display_phone_number":"525500000001"}""",
                Encoding.UTF8, "application/json"),
        };
        connect.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var connected = await client.SendAsync(connect);
        (await ReadJsonAsync(connected, "connect WhatsApp")).Dispose();
        organization.Dispose();
    }

    internal static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, string step)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{step} answered {(int)response.StatusCode}: {text}");
        }

        return JsonDocument.Parse(text);
    }

    internal static async Task WaitHealthyAsync(HttpClient client, ChildProcess server, Uri health, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (server.Process.HasExited)
            {
                throw new InvalidOperationException($"{server.Name} exited with {server.Process.ExitCode} before it was healthy:\n{server.Tail()}");
            }

            try
            {
                using var response = await client.GetAsync(health);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{server.Name} healthy after {watch.Elapsed.TotalSeconds:F1} s"));
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"{server.Name} was not healthy within {timeout}:\n{server.Tail()}");
            }

            await Task.Delay(200);
        }
    }

    internal static async Task WaitReadyAsync(HttpClient client, ChildProcess server, Uri uri, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (server.Process.HasExited)
            {
                throw new InvalidOperationException($"{server.Name} exited with {server.Process.ExitCode}:\n{server.Tail()}");
            }

            try
            {
                using var response = await client.PostAsync(uri, null);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"{server.Name} did not answer within {timeout}:\n{server.Tail()}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Drops the bench database so every run starts empty; Karibu creates and migrates it on start.</summary>
    internal static async Task DropDatabaseAsync(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var name = builder.Database ?? throw new InvalidOperationException("The connection string names no database.");
        builder.Database = "postgres";
        builder.Pooling = false;
        await using var db = new NpgsqlConnection(builder.ConnectionString);
        await db.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\" WITH (FORCE)", db);
        await drop.ExecuteNonQueryAsync();
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static string BenchAssembly => typeof(WebhookIngest).Assembly.Location;

    internal static string KaribuAssembly => typeof(Karibu.Data.KaribuDb).Assembly.Location;

    internal readonly record struct SignedBody(byte[] Body, string Signature);

    /// <summary>Webhook bodies as Meta sends them: compact JSON, unique wamid, signed with the app secret.</summary>
    private sealed class BodyFactory(long unixSeconds)
    {
        private static readonly byte[] Secret = Encoding.UTF8.GetBytes(AppSecret);
        private readonly string _run = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        private readonly string _timestamp = unixSeconds.ToString(CultureInfo.InvariantCulture);

        public string Wamid(int i) => string.Create(CultureInfo.InvariantCulture, $"wamid.BENCH_{_run}_{i:D10}");

        public SignedBody Create(int i)
        {
            var sender = string.Create(CultureInfo.InvariantCulture, $"52155{10_000_000 + (i % 1_000)}");
            var json = Fixture
                .Replace("wamid.FAKE_MX_IN_TEXT_0001", Wamid(i), StringComparison.Ordinal)
                .Replace("1767301200", _timestamp, StringComparison.Ordinal)
                .Replace("5215500000101", sender, StringComparison.Ordinal);
            var body = Encoding.UTF8.GetBytes(json);
            return new SignedBody(body, "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Secret, body)));
        }

        public SignedBody[] CreatePool(int size)
        {
            var pool = new SignedBody[size];
            Parallel.For(0, size, i => pool[i] = Create(i));
            return pool;
        }
    }

    private sealed class Lane(int seconds)
    {
        /// <summary>Acknowledgements per second since the warm-up began, to see the server settle.</summary>
        public int[] PerSecond { get; } = new int[seconds];

        public List<long> Latencies { get; } = new(16_384);

        public List<int> Acknowledged { get; } = [];

        public long Ok { get; set; }

        public long NotOk { get; set; }

        public long Failed { get; set; }
    }

    private sealed class LoadResult(string label, int connections, TimeSpan measure, Lane[] lanes, CpuUsage usage, bool storesEvents)
    {
        public List<int> AcknowledgedIndexes { get; } = lanes.SelectMany(l => l.Acknowledged).Order().ToList();

        public void PrintTimeline(TimeSpan warmUp)
        {
            var perSecond = lanes[0].PerSecond.Select((_, s) => lanes.Sum(l => l.PerSecond[s])).ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label} acks per second: warm-up [{string.Join(' ', perSecond.Take((int)warmUp.TotalSeconds))}] " +
                $"measured [{string.Join(' ', perSecond.Skip((int)warmUp.TotalSeconds).Take((int)measure.TotalSeconds))}]"));
        }

        public static void PrintTable(IReadOnlyList<LoadResult> results)
        {
            Console.WriteLine(
                "| target        | conns | acked/s  | p50 ms | p95 ms | p99 ms | max ms | non-200 | errors | CPU: server | generator | postgres | other | machine | server µs/req | pg µs/req | commits/s | events/commit |");
            Console.WriteLine(
                "|---------------|------:|---------:|-------:|-------:|-------:|-------:|--------:|-------:|------------:|----------:|---------:|------:|--------:|--------------:|----------:|----------:|--------------:|");
            foreach (var r in results)
            {
                Console.WriteLine(r.Row());
            }

            Console.WriteLine("CPU columns: share of one core used during the measured window (200% = both cores); other = the rest of the machine (other work running at the same time); machine = all processes.");
            Console.WriteLine("µs/req: CPU time of the server process and of PostgreSQL per acknowledged request (less sensitive to other load than acked/s);" +
                " commits/s: transactions committed in the bench database, so events/commit is the inbox writer's batch size.");
        }

        private string Row()
        {
            var latencies = lanes.SelectMany(l => l.Latencies).Order().ToArray();
            double Ms(double quantile) => latencies.Length == 0 ? double.NaN
                : latencies[Math.Clamp((int)Math.Ceiling(quantile * latencies.Length) - 1, 0, latencies.Length - 1)] * 1000.0 / Stopwatch.Frequency;
            var ok = lanes.Sum(l => l.Ok);
            var rate = ok / measure.TotalSeconds;
            return string.Create(CultureInfo.InvariantCulture,
                $"| {label,-13} | {connections,5} | {rate,8:N0} | {Ms(0.50),6:F1} | {Ms(0.95),6:F1} | {Ms(0.99),6:F1} | {Ms(1.0),6:F1} " +
                $"| {lanes.Sum(l => l.NotOk),7:N0} | {lanes.Sum(l => l.Failed),6:N0} | {usage.Server,10:F0}% | {usage.Generator,8:F0}% | {usage.Postgres,7:F0}% | {usage.Machine - usage.Server - usage.Generator - usage.Postgres,4:F0}% | {usage.Machine,6:F0}% " +
                $"| {usage.Server * 10_000 / rate,13:F0} | {usage.Postgres * 10_000 / rate,9:F0} " +
                $"| {(storesEvents ? (usage.Commits / measure.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture) : "-"),9} " +
                $"| {(storesEvents && usage.Commits > 0 ? (ok / (double)usage.Commits).ToString("F1", CultureInfo.InvariantCulture) : "-"),13} |");
        }
    }

    /// <summary>CPU time of the server, this process, all postgres processes and the machine over the window.</summary>
    internal sealed class CpuUsage(Process server, string database)
    {
        private TimeSpan _server, _generator;
        private Dictionary<int, TimeSpan> _postgres = [];
        private long _start;
        private (long Busy, long Total) _machine;

        public double Server { get; private set; }

        public double Generator { get; private set; }

        public double Postgres { get; private set; }

        public double Machine { get; private set; }

        /// <summary>Transactions committed in the bench database during the window.</summary>
        public long Commits { get; set; }

        public void Begin()
        {
            _start = Stopwatch.GetTimestamp();
            _server = ProcessorTime(server);
            _generator = ProcessorTime(Process.GetCurrentProcess());
            _postgres = PostgresTimes();
            _machine = MachineTicks();
        }

        public void End()
        {
            var wall = Stopwatch.GetElapsedTime(_start).TotalMilliseconds / 100.0;
            Server = (ProcessorTime(server) - _server).TotalMilliseconds / wall;
            Generator = (ProcessorTime(Process.GetCurrentProcess()) - _generator).TotalMilliseconds / wall;
            // Backends that started during the window count from zero; ones that ended are lost (rare: Npgsql pools).
            Postgres = PostgresTimes().Sum(p => (p.Value - _postgres.GetValueOrDefault(p.Key)).TotalMilliseconds) / wall;
            var machine = MachineTicks();
            Machine = machine.Total == _machine.Total ? double.NaN
                : 100.0 * Environment.ProcessorCount * (machine.Busy - _machine.Busy) / (machine.Total - _machine.Total);
        }

        private static TimeSpan ProcessorTime(Process process)
        {
            try
            {
                process.Refresh();
                return process.TotalProcessorTime;
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
            {
                return TimeSpan.Zero;
            }
        }

        /// <summary>
        /// PostgreSQL's processes: the background ones (WAL writer, checkpointer...) and the backends of
        /// the bench database; backends of other databases (someone else's tests) are left to "other".
        /// </summary>
        private Dictionary<int, TimeSpan> PostgresTimes()
        {
            var times = new Dictionary<int, TimeSpan>();
            foreach (var process in Process.GetProcessesByName("postgres"))
            {
                using (process)
                {
                    var title = ProcessTitle(process.Id);
                    var isBackend = title.Contains("127.0.0.1(", StringComparison.Ordinal) || title.Contains("[local]", StringComparison.Ordinal);
                    if (!isBackend || title.Contains($" {database} ", StringComparison.Ordinal))
                    {
                        times[process.Id] = ProcessorTime(process);
                    }
                }
            }

            return times;
        }

        private static string ProcessTitle(int pid)
        {
            try
            {
                return File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline").Replace('\0', ' ');
            }
            catch (IOException)
            {
                return "";
            }
        }

        /// <summary>/proc/stat's first line: busy and total jiffies of all cores.</summary>
        private static (long Busy, long Total) MachineTicks()
        {
            if (!File.Exists("/proc/stat"))
            {
                return (0, 0);
            }

            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var total = fields.Take(8).Sum();
            var idle = fields[3] + fields[4];
            return (total - idle, total);
        }
    }

    /// <summary>The servers this run started; killed at the end, on Ctrl-C and on failure.</summary>
    internal sealed class ChildProcesses : IAsyncDisposable
    {
        private readonly List<ChildProcess> _children = [];

        public ChildProcess Start(string name, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment)
        {
            var start = new ProcessStartInfo(DotnetHost)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }

            var child = new ChildProcess(name, Process.Start(start) ?? throw new InvalidOperationException($"Could not start {name}."));
            lock (_children)
            {
                _children.Add(child);
            }

            return child;
        }

        public void KillAll()
        {
            lock (_children)
            {
                foreach (var child in _children)
                {
                    child.Kill();
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            KillAll();
            foreach (var child in _children)
            {
                await child.Process.WaitForExitAsync();
                child.Dispose();
            }
        }

        private static string DotnetHost =>
            Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath!
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
            : "dotnet";
    }

    /// <summary>A server process whose output is kept (the last lines, and every warning) for diagnosis.</summary>
    internal sealed class ChildProcess : IDisposable
    {
        private readonly Queue<string> _tail = new();
        private int _warnings;

        private readonly StreamWriter? _log;

        public ChildProcess(string name, Process process)
        {
            Name = name;
            Process = process;
            // KARIBU_BENCH_SERVER_LOGS=<folder>: every line the servers print, for diagnosis (e.g. with Debug logging).
            if (Environment.GetEnvironmentVariable("KARIBU_BENCH_SERVER_LOGS") is { Length: > 0 } folder)
            {
                Directory.CreateDirectory(folder);
                _log = new StreamWriter(Path.Combine(folder, $"{name.Replace(' ', '-')}-{process.Id.ToString(CultureInfo.InvariantCulture)}.log")) { AutoFlush = true };
            }

            process.OutputDataReceived += (_, e) => Keep(e.Data);
            process.ErrorDataReceived += (_, e) => Keep(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public string Name { get; }

        public Process Process { get; }

        public string Tail()
        {
            lock (_tail)
            {
                return string.Join('\n', _tail);
            }
        }

        public void PrintWarnings()
        {
            if (Volatile.Read(ref _warnings) > 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Name} logged {_warnings} warning/error lines during the load; its last output lines:\n{Tail()}"));
            }
        }

        public void ResetWarnings() => Volatile.Write(ref _warnings, 0);

        public void Dispose()
        {
            Process.Dispose();
            _log?.Dispose();
        }

        public void Kill()
        {
            try
            {
                if (!Process.HasExited)
                {
                    Process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
            }
        }

        private void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }

            if (_log is not null)
            {
                lock (_log)
                {
                    _log.WriteLine(line);
                }
            }

            if (line.StartsWith("warn:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal)
                || line.StartsWith("crit:", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _warnings);
            }

            lock (_tail)
            {
                _tail.Enqueue(line);
                if (_tail.Count > 40)
                {
                    _tail.Dequeue();
                }
            }
        }
    }
}
