using Microsoft.Playwright;

namespace Karibu.Tests.Infrastructure;

/// <summary>
/// A test that drives a real browser. It runs wherever Chromium is installed (always in CI, where
/// .ci/run installs Debian's package) and is reported as skipped on a machine without it. In CI a
/// missing browser is an error, never a silent skip.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!Chromium.IsInstalled && !PostgresFactAttribute.IsCi)
        {
            Skip = $"Chromium is not installed at {Chromium.ExecutablePath} (set {Chromium.PathVariable} to use another); .ci/run installs it.";
        }
    }
}

/// <summary>
/// The machine's own Chromium driven by Playwright, shared by the tests of a class
/// (<c>IClassFixture&lt;Chromium&gt;</c>). Playwright's browser download is never used: the browser is
/// the one at <see cref="ExecutablePath"/>, started on first use.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string PathVariable = "KARIBU_TEST_CHROMIUM";

    /// <summary>A phone-sized window (an iPhone 12-15's CSS pixels).</summary>
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private readonly Lock _gate = new();
    private IPlaywright? _playwright;
    private Task<IBrowser>? _browser;

    /// <summary>Set to a folder to save the browser tests' screenshots there (docs/screenshots holds the committed ones).</summary>
    public const string ScreenshotVariable = "KARIBU_SCREENSHOTS";

    // The machines are small and shared with other builds: be patient before calling an expectation failed.
    static Chromium() => Assertions.SetDefaultExpectTimeout(30_000);

    public static string? ScreenshotFolder => Environment.GetEnvironmentVariable(ScreenshotVariable) is { Length: > 0 } folder ? folder : null;

    /// <summary>Saves a screenshot of the page as <paramref name="name"/> when <see cref="ScreenshotVariable"/> names a folder.</summary>
    public static async Task ScreenshotAsync(IPage page, string name, bool fullPage = true)
    {
        if (ScreenshotFolder is { } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name), FullPage = fullPage });
        }
    }

    public static string ExecutablePath => Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static bool IsInstalled => File.Exists(ExecutablePath);

    /// <summary>A new page in its own context (no shared cookies or storage), sized as asked (default: a laptop).</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress, ViewportSize? viewport = null, string locale = "es-MX")
    {
        var browser = await BrowserAsync();
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 900 },
            Locale = locale,
            IsMobile = viewport is not null && viewport.Width < 600,
            HasTouch = viewport is not null && viewport.Width < 600,
        });
        // The machines are small and shared with other builds: be patient before calling something missing.
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    private Task<IBrowser> BrowserAsync()
    {
        lock (_gate)
        {
            return _browser ??= LaunchAsync();
        }
    }

    private async Task<IBrowser> LaunchAsync()
    {
        if (!IsInstalled)
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {ExecutablePath}: install Debian's package (apt-get install chromium) or set {PathVariable}.");
        }

        _playwright = await Playwright.CreateAsync();
        return await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run",
            ],
        });
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_browser is { IsCompletedSuccessfully: true })
        {
            await (await _browser).DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
