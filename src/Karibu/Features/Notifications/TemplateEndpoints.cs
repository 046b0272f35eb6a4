using System.Text.RegularExpressions;
using Karibu.Common;
using Karibu.Data;
using Karibu.Features.Assistant.Guided;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Karibu.Features.Notifications;

internal sealed record PutTemplateRequest(
    string? Purpose, string? Channel, string? Language, string? Body,
    string? WhatsappTemplateName, string? WhatsappLanguage, List<string>? WhatsappParameters);

internal sealed record TemplateResponse(
    string Purpose, string Channel, string Language, string Body, bool IsDefault, IReadOnlyList<string> Placeholders,
    string? WhatsappTemplateName, string? WhatsappLanguage, IReadOnlyList<string> WhatsappParameters);

/// <summary>
/// <c>GET …/templates</c>: the wording of every notification per purpose, channel and language (the
/// business's own where set, else the default). <c>PUT …/templates</c>: set one (a null body goes back to the default).
/// </summary>
internal static partial class TemplateEndpoints
{
    private static readonly string[] Languages = ["es", "en", "sw"];
    private static readonly string[] Channels = ["any", "whatsapp", "sms"];

    [GeneratedRegex("^[a-z0-9_]{1,512}$")]
    private static partial Regex TemplateName();

    public static RouteGroupBuilder MapTemplateEndpoints(this RouteGroupBuilder group)
    {
        group.WithTags("Templates");
        group.MapGet("/", List).WithSummary("Every notification's wording per purpose, channel and language, the business's own or the default.");
        group.MapPut("/", Put).WithSummary("Set the wording of one purpose, channel and language; a null body restores the default.");
        return group;
    }

    private static async Task<Ok<List<TemplateResponse>>> List(KaribuDb db, CancellationToken ct)
    {
        var own = await db.MessageTemplates.AsNoTracking().ToListAsync(ct);
        var all = new List<TemplateResponse>();
        foreach (var purpose in Enum.GetValues<TemplatePurpose>())
        {
            foreach (var language in Languages)
            {
                all.Add(From(purpose, "any", language, own.FirstOrDefault(t => t.Purpose == purpose && t.Channel == "any" && t.Language == language)));
            }

            all.AddRange(own.Where(t => t.Purpose == purpose && t.Channel != "any").Select(t => From(purpose, t.Channel, t.Language, t)));
        }

        return TypedResults.Ok(all);
    }

    private static async Task<Results<Ok<TemplateResponse>, ValidationProblem>> Put(PutTemplateRequest request, KaribuDb db, CancellationToken ct)
    {
        var v = new Validation();
        return await PutAsync(request, v, db, ct) is { } saved ? TypedResults.Ok(saved) : TypedResults.ValidationProblem(v.Errors);
    }

    /// <summary>
    /// Checks and saves the wording of one purpose, channel and language (a null body goes back to the default); null, with
    /// the reasons in <paramref name="v"/>, when refused. The API's PUT and the owner app's templates screen both come here.
    /// </summary>
    public static async Task<TemplateResponse?> PutAsync(PutTemplateRequest request, Validation v, KaribuDb db, CancellationToken ct)
    {
        var purpose = v.Enum<TemplatePurpose>("purpose", request.Purpose, required: true);
        var channel = request.Channel ?? "any";
        if (!Channels.Contains(channel))
        {
            v.Add("channel", "Must be any, whatsapp or sms.");
        }

        var language = request.Language;
        if (language is null || !Languages.Contains(language))
        {
            v.Add("language", "Must be es, en or sw.");
        }

        var body = request.Body is null ? null : v.Text("body", request.Body, required: true, max: TemplateDefaults.MaxBody);
        if (purpose is { } p && body is not null && TemplateDefaults.Unknown(p, body) is { Count: > 0 } unknown)
        {
            v.Add("body", $"Unknown placeholder(s) {string.Join(", ", unknown.Select(u => $"{{{u}}}"))}; {EnumNames.ToName(p)} knows {string.Join(", ", TemplateDefaults.Placeholders[p].Select(x => $"{{{x}}}"))}.");
        }

        if (request.WhatsappTemplateName is { } name && !TemplateName().IsMatch(name))
        {
            v.Add("whatsapp_template_name", "Lower-case letters, digits and underscores, as in WhatsApp Manager.");
        }

        if (purpose is { } q && request.WhatsappParameters?.Where(x => !TemplateDefaults.Placeholders[q].Contains(x)).ToList() is { Count: > 0 } badParameters)
        {
            v.Add("whatsapp_parameters", $"Unknown placeholder(s): {string.Join(", ", badParameters)}.");
        }

        if (!v.IsValid)
        {
            return null;
        }

        var existing = await db.MessageTemplates.FirstOrDefaultAsync(t => t.Purpose == purpose && t.Channel == channel && t.Language == language, ct);
        if (body is null)
        {
            if (existing is not null)
            {
                db.MessageTemplates.Remove(existing);
            }

            await db.SaveChangesAsync(ct);
            return From(purpose!.Value, channel, language!, null);
        }

        if (existing is null)
        {
            existing = new MessageTemplate { Purpose = purpose!.Value, Channel = channel, Language = language!, Body = body };
            db.MessageTemplates.Add(existing);
        }

        existing.Body = body;
        existing.WhatsAppTemplateName = request.WhatsappTemplateName;
        existing.WhatsAppLanguage = request.WhatsappLanguage;
        existing.WhatsAppParameters = request.WhatsappParameters ?? [];
        await db.SaveChangesAsync(ct);
        return From(existing.Purpose, channel, language!, existing);
    }

    private static TemplateResponse From(TemplatePurpose purpose, string channel, string language, MessageTemplate? own) => new(
        EnumNames.ToName(purpose), channel, language, own?.Body ?? TemplateDefaults.Body(purpose, GuidedTexts.FromLocale(language)), own is null,
        TemplateDefaults.Placeholders[purpose], own?.WhatsAppTemplateName, own?.WhatsAppLanguage, own?.WhatsAppParameters ?? []);
}
