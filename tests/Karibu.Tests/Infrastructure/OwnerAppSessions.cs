using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Karibu.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Karibu.Tests.Infrastructure;

/// <summary>Signed-in owners and staff for tests of the owner app, and posting its server-rendered forms.</summary>
public static partial class OwnerAppSessions
{
    public const string Password = "correct horse 42";

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex(@"\b(\d{6})\b")]
    private static partial Regex SixDigits();

    /// <summary>The last sign-in code sent to that staff member (the simulator channel keeps it in the outbox).</summary>
    public static async Task<string> LastSignInCodeAsync(this KaribuApp app, Tenant tenant, Guid staffId)
    {
        var (db, scope) = app.Db(tenant.Id);
        using (scope)
        {
            var body = await db.Messages.Where(m => m.Direction == Karibu.Features.Conversations.MessageDirection.Outbound
                                                    && db.Conversations.Any(c => c.Id == m.ConversationId && c.StaffId == staffId))
                .OrderByDescending(m => m.Id).Select(m => m.Body).FirstAsync();
            return SixDigits().Match(body!).Groups[1].Value;
        }
    }

    /// <summary>
    /// Adds a person to the business (the owner unless a role is given) who can sign in with <paramref name="email"/>
    /// and <see cref="Password"/>; returns their id.
    /// </summary>
    public static async Task<Guid> AddPersonAsync(this KaribuApp app, Tenant tenant, string email, string name = "Ramón Díaz",
        string phone = "55 9000 0009", string role = "owner", string[]? permissions = null)
    {
        using var api = app.Client(tenant.ApiKey);
        var created = await (await api.PostJsonAsync($"{tenant.Path}/staff",
            new { name, phone_number = phone, role, permissions = permissions ?? [] })).AssertStatusAsync(201);
        var id = created.Id();
        var (db, scope) = app.Db(tenant.Id);
        using (scope)
        {
            var member = await db.Staff.SingleAsync(s => s.Id == id);
            member.Email = email;
            member.PasswordHash = SignInFlow.HashPassword(member, Password);
            await db.SaveChangesAsync();
        }

        return id;
    }

    /// <summary>A browser-like client (cookies, no redirects followed) signed in as the person with this email.</summary>
    public static async Task<HttpClient> SignedInAsync(this KaribuApp app, string email)
    {
        var browser = app.Browser();
        var response = await browser.PostAsJsonAsync("/account/password", new { email, password = Password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return browser;
    }

    /// <summary>Signs the Playwright page's context in as the person with this email (the cookie lands in the context).</summary>
    public static async Task SignInAsync(this IPage page, string email)
    {
        var response = await page.Context.APIRequest.PostAsync("/account/password",
            new APIRequestContextOptions { DataObject = new { email, password = Password } });
        Assert.Equal(200, response.Status);
    }

    /// <summary>
    /// Posts a server-rendered form the way a browser would: reads the page for its antiforgery token, then posts the
    /// fields with the form's name (<c>_handler</c>). Field names are as in the HTML (e.g. "Form.Name").
    /// </summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient browser, string page, string formName, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var html = await (await browser.GetAsync(page)).Content.ReadAsStringAsync();
        var token = AntiforgeryToken().Match(html);
        Assert.True(token.Success, $"No antiforgery token on {page}");
        var form = new List<KeyValuePair<string, string>>(fields)
        {
            new("_handler", formName), new("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value)),
        };
        return await browser.PostAsync(page, new FormUrlEncodedContent(form));
    }

    /// <summary>
    /// Posts a server-rendered <c>multipart/form-data</c> form with one file, the way a browser would (the token is read
    /// from the page first). A null <paramref name="file"/> sends no file.
    /// </summary>
    public static async Task<HttpResponseMessage> PostMultipartFormAsync(this HttpClient browser, string page, string formName,
        UploadedFile? file, params (string Name, string Value)[] fields)
    {
        var html = await (await browser.GetAsync(page)).Content.ReadAsStringAsync();
        var token = AntiforgeryToken().Match(html);
        Assert.True(token.Success, $"No antiforgery token on {page}");
        var form = new MultipartFormDataContent
        {
            { new StringContent(formName), "_handler" },
            { new StringContent(WebUtility.HtmlDecode(token.Groups[1].Value)), "__RequestVerificationToken" },
        };
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        if (file is not null)
        {
            var part = new ByteArrayContent(file.Bytes);
            part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(file.ContentType);
            // Set by hand: a browser sends filename="" when nothing was chosen, which MultipartFormDataContent.Add refuses.
            part.Headers.ContentDisposition = new System.Net.Http.Headers.ContentDispositionHeaderValue("form-data")
            {
                Name = $"\"{file.Field}\"", FileName = $"\"{file.FileName}\"",
            };
            form.Add(part);
        }

        return await browser.PostAsync(page, form);
    }

    /// <summary>The page's HTML with entities decoded (Razor encodes accented letters), for asserting on what a person reads.</summary>
    public static async Task<string> HtmlAsync(this HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    public static Task<HttpResponseMessage> PostFormAsync(this HttpClient browser, string page, string formName, params (string Name, string Value)[] fields) =>
        browser.PostFormAsync(page, formName, fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
}

/// <summary>A file a test chooses in a form's file field, with the type the browser would declare for it.</summary>
public sealed record UploadedFile(string Field, string FileName, string ContentType, byte[] Bytes);
