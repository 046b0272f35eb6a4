using System.Globalization;
using Karibu.Features.Accounts;
using Karibu.Features.Staff;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace Karibu.Bench;

/// <summary>
/// What the main pages cost a phone on first load: <c>page-weight [runs]</c> starts Karibu in Production on a fresh
/// SQLite file with the demo business, then opens each page in a new Chromium context (empty cache, 390×844, signed in
/// for the owner app) and reads the browser's own Navigation/Resource Timing: bytes transferred (compressed, headers
/// included) for the document and everything it loads, and the time from navigation start to the load event. Prints
/// the median of the runs (default 5). Chromium comes from Debian (KARIBU_TEST_CHROMIUM or /usr/bin/chromium).
/// </summary>
internal static class PageWeight
{
    private const string Email = "owner@demo.karibu";
    private const string Password = "bench password 42";

    private const string Metrics = """
        () => {
          const n = performance.getEntriesByType("navigation")[0];
          const r = performance.getEntriesByType("resource");
          return [n.loadEventEnd - n.startTime, n.transferSize + r.reduce((s, x) => s + x.transferSize, 0),
                  n.decodedBodySize + r.reduce((s, x) => s + x.decodedBodySize, 0), r.length + 1, n.responseEnd - n.requestStart];
        }
        """;

    public static async Task RunAsync(string[] args)
    {
        var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var folder = Directory.CreateTempSubdirectory("karibu-page-weight");
        var database = Path.Combine(folder.FullName, "karibu.db");
        await using var servers = new WebhookIngest.ChildProcesses();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => servers.KillAll();
        var port = WebhookIngest.FreePort();
        var karibu = servers.Start("karibu", [WebhookIngest.KaribuAssembly], new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Karibu"] = $"Data Source={database}",
            ["Karibu__Database__Provider"] = "Sqlite",
            ["Karibu__AdminApiKey"] = "bench-admin-key-0123456789abcdefghij",
            ["Karibu__SeedDemoBusiness"] = "true",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        var baseUri = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        using (var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) })
        {
            await WebhookIngest.WaitHealthyAsync(client, karibu, new Uri(baseUri, "healthz"), TimeSpan.FromSeconds(120));
        }

        var slug = await GiveTheOwnerAPasswordAsync(database);
        string[] pages =
        [
            $"/b/{slug}", "/signup", "/app/sign-in",
            "/app", "/app/week", "/app/book", "/app/inbox", "/app/customers", "/app/customers/contact", "/app/customers/import",
            "/app/settings", "/app/settings/services", "/app/settings/templates", "/app/settings/assistant", "/app/settings/channels", "/app/welcome",
        ];

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("KARIBU_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        });

        // One throwaway pass so the server's first-request JIT is not counted as a phone's first load.
        await MeasureAsync(browser, baseUri, pages, 1);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"First load of each page, median of {runs} cold Chromium contexts (390×844), cores={Environment.ProcessorCount}"));
        Console.WriteLine("page                         status  requests  transferred (KB, compressed)  uncompressed (KB)  server (ms)  load event (ms)");
        foreach (var (page, result) in await MeasureAsync(browser, baseUri, pages, runs))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{page,-28} {result.Status,6}  {result.Requests,8}  {result.TransferredKb,28:F1}  {result.DecodedKb,17:F1}  {result.ServerMs,11:F0}  {result.LoadMs,15:F0}"));
        }

        folder.Delete(recursive: true);
    }

    private sealed record Result(int Status, int Requests, double TransferredKb, double DecodedKb, double ServerMs, double LoadMs);

    private static async Task<List<(string Page, Result Result)>> MeasureAsync(IBrowser browser, Uri baseUri, string[] pages, int runs)
    {
        var results = new List<(string, Result)>();
        foreach (var path in pages)
        {
            var samples = new List<Result>();
            for (var i = 0; i < runs; i++)
            {
                await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
                {
                    BaseURL = baseUri.ToString(), ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true,
                    Locale = "es-MX", ServiceWorkers = ServiceWorkerPolicy.Block,
                });
                if (path.StartsWith("/app", StringComparison.Ordinal) && path != "/app/sign-in")
                {
                    var signIn = await context.APIRequest.PostAsync("/account/password", new APIRequestContextOptions { DataObject = new { email = Email, password = Password } });
                    if (signIn.Status != 200)
                    {
                        throw new InvalidOperationException($"Sign-in failed: {signIn.Status}");
                    }
                }

                var page = await context.NewPageAsync();
                var response = await page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
                var m = await page.EvaluateAsync<double[]>(Metrics);
                samples.Add(new Result(response?.Status ?? 0, (int)m[3], m[1] / 1024, m[2] / 1024, m[4], m[0]));
            }

            samples.Sort((a, b) => a.LoadMs.CompareTo(b.LoadMs));
            var median = samples[samples.Count / 2];
            results.Add((path, median with { TransferredKb = samples.Max(s => s.TransferredKb) }));
        }

        return results;
    }

    /// <summary>The demo business's owner gets an email and password to sign in with; returns the business's slug.</summary>
    private static async Task<string> GiveTheOwnerAPasswordAsync(string database)
    {
        var hash = SignInFlow.HashPassword(new StaffMember { Name = "", PhoneNumber = "" }, Password);
        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        await using var update = connection.CreateCommand();
        update.CommandText = "UPDATE staff SET email = $email, password_hash = $hash WHERE role = 'owner'";
        update.Parameters.AddWithValue("$email", Email);
        update.Parameters.AddWithValue("$hash", hash);
        await update.ExecuteNonQueryAsync();
        await using var slug = connection.CreateCommand();
        slug.CommandText = "SELECT slug FROM organizations WHERE is_demo = 1 LIMIT 1";
        return (string)(await slug.ExecuteScalarAsync())!;
    }
}
