namespace Karibu.Tests.Infrastructure;

/// <summary>
/// The shared fixture files (<c>shared/fixtures/…</c>) that live next to the repository, found by walking up
/// from the test binaries to the first directory that holds <c>shared/fixtures</c>.
/// </summary>
public static class Fixtures
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The full path of a fixture, for example <c>Path("sms", "segmentation-cases.jsonl")</c>.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(Path(parts));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = System.IO.Path.Combine(directory.FullName, "shared", "fixtures");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"No shared/fixtures directory above {AppContext.BaseDirectory}.");
    }
}
