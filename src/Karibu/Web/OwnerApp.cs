namespace Karibu.Web;

/// <summary>Where the owner app lives and how its pages link to each other.</summary>
internal static class OwnerApp
{
    public const string Root = "/app";
    public const string SignIn = "/app/sign-in";
    public const string Today = "/app";
    public const string Inbox = "/app/inbox";
    public const string Customers = "/app/customers";
    public const string Settings = "/app/settings";

    /// <summary>The cookie that remembers the language a person chose for the app (else the business's).</summary>
    public const string LanguageCookie = "karibu_lang";

    /// <summary>The sign-in page, remembering the page that asked for it.</summary>
    public static string SignInPath(HttpRequest request) =>
        $"{SignIn}?return={Uri.EscapeDataString(request.PathBase + request.Path + request.QueryString)}";

    /// <summary>A return address is followed only when it stays inside the app.</summary>
    public static string SafeReturn(string? wanted) =>
        wanted is { Length: > 0 } && wanted.StartsWith(Root, StringComparison.Ordinal) && !wanted.StartsWith("//", StringComparison.Ordinal)
        && !wanted.Contains('\\', StringComparison.Ordinal) && !wanted.StartsWith(SignIn, StringComparison.Ordinal)
            ? wanted
            : Today;
}
