using Karibu.Features.Channels.Sms;
using Karibu.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Karibu.Tests.Features.Sms;

/// <summary>Reading the .http/.form/.query fixtures and building clients against the fake providers.</summary>
internal static class SmsTestSupport
{
    /// <summary>A fixture .http file: the request line, the headers and the body after the blank line.</summary>
    public static (string RequestLine, Dictionary<string, string> Headers, string Body) ReadHttp(string name)
    {
        var lines = Fixtures.Read("sms", name).ReplaceLineEndings("\n").Split('\n');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 1;
        for (; i < lines.Length && lines[i].Length > 0; i++)
        {
            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            headers[lines[i][..colon].Trim()] = lines[i][(colon + 1)..].Trim();
        }

        return (lines[0], headers, string.Join('\n', lines.Skip(i + 1)).Trim());
    }

    /// <summary>A urlencoded body (or query string) as the dictionary the parsers take.</summary>
    public static Dictionary<string, string> ParseForm(string encoded) =>
        QueryHelpers.ParseQuery(encoded.Trim()).ToDictionary(f => f.Key, f => f.Value.ToString());

    public static Dictionary<string, string> ReadForm(string name) => ParseForm(Fixtures.Read("sms", name));

    /// <summary>The query of a fixture .query file holding a request line (<c>GET /path?query HTTP/1.1</c>).</summary>
    public static Dictionary<string, string> ReadQuery(string name)
    {
        var requestLine = Fixtures.Read("sms", name).Trim().Split(' ')[1];
        return ParseForm(requestLine[(requestLine.IndexOf('?', StringComparison.Ordinal) + 1)..]);
    }

    public static AfricasTalkingClient AfricasTalking(FakeSmsProviders fake, HttpClient http) =>
        new(http, Options.Create(fake.Options()), NullLogger<AfricasTalkingClient>.Instance);

    public static OnfonClient Onfon(FakeSmsProviders fake, HttpClient http) =>
        new(http, Options.Create(fake.Options()), NullLogger<OnfonClient>.Instance);

    public static HttpClient Http(double timeoutSeconds = 15) => new() { Timeout = TimeSpan.FromSeconds(timeoutSeconds) };
}
