using System.Text.Json;
using Karibu.Common;
using Karibu.Data;
using Karibu.Features.Assistant.Guided;
using Karibu.Features.Assistant.Understanding;
using Karibu.Features.Conversations;
using Karibu.Features.Organizations;
using Karibu.Features.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Karibu.Features.Onboarding;

/// <summary>The <c>Karibu:Platform</c> section: Karibu's own WhatsApp number, where new businesses sign up by chat.</summary>
internal sealed class PlatformOptions
{
    public const string SectionName = "Karibu:Platform";

    /// <summary>
    /// The phone number id (WhatsApp Manager) of Karibu's own number. It is connected like any business's number
    /// (to a business standing for the platform); chats with it are signups instead of bookings.
    /// </summary>
    public string? WhatsAppPhoneNumberId { get; set; }

    /// <summary>Where Karibu is reachable (https://karibu.app), for the links sent in the chat.</summary>
    public string? PublicBaseUrl { get; set; }

    public bool IsConfigured => WhatsAppPhoneNumberId is { Length: > 0 } && Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out _);
}

internal sealed class ChatSignupState
{
    public string? Step { get; set; }
    public Language? Language { get; set; }
    public string? Name { get; set; }
    public BusinessType? Type { get; set; }
    public string? Market { get; set; }
    public string? Slug { get; set; }
}

/// <summary>
/// Signup by chat with Karibu's own number: business name → type → country → confirm, one question per message
/// like the guided assistant, replies through the outbox. Makes the business through <see cref="NewBusiness"/>
/// (owner = the sender, template services, default hours) and answers with the booking and sign-in links.
/// </summary>
internal sealed class ChatSignup(KaribuDb db, IServiceScopeFactory scopes, TimeProvider time, IOptions<PlatformOptions> options, ILogger<ChatSignup> log)
{
    private const string AskName = "name", AskType = "type", AskCountry = "country", Confirming = "confirm", Done = "done";

    /// <summary>Whether the current business is the platform (it owns Karibu's own WhatsApp number).</summary>
    public async Task<bool> IsPlatformAsync(CancellationToken ct) =>
        options.Value.IsConfigured && await db.ChannelAccounts.AnyAsync(
            a => a.Kind == ChannelKind.Whatsapp && a.IsActive && a.ExternalId == options.Value.WhatsAppPhoneNumberId, ct);

    public async Task RespondAsync(Conversation conversation, Message inbound, CancellationToken ct)
    {
        if (conversation.CustomerId is not { } customerId
            || await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == customerId, ct) is not { } customer)
        {
            return;
        }

        var state = (conversation.AssistantState is { Length: > 0 } json ? TryRead(json) : null) ?? new ChatSignupState();
        var text = (GuidedEngine.ReplyId(inbound) ?? inbound.Body ?? "").Trim();
        var today = Instant.FromDateTimeOffset(time.GetUtcNow()).InZone(DateTimeZone.Utc).Date;
        var u = Understand.Read(text, today, [], state.Language ?? FromPhone(customer.PhoneNumber));
        var l = state.Language ??= u.Language ?? FromPhone(customer.PhoneNumber);
        var reply = new GuidedReply(db, conversation, inbound, l);

        switch (state.Step)
        {
            case null:
                if (await OwnedBusinessAsync(customer.PhoneNumber, ct) is { } owned)
                {
                    reply.Text(T(l, $"¡Hola! Ya tienes {owned} en Karibu. Entra aquí: {SignInLink}",
                        $"Hi! You already have {owned} on Karibu. Sign in here: {SignInLink}",
                        $"Habari! Tayari una {owned} kwenye Karibu. Ingia hapa: {SignInLink}"));
                    return;
                }

                state.Step = AskName;
                reply.Text(T(l, "¡Hola! Soy Karibu 👋 Te ayudo a crear la agenda en línea de tu negocio en 2 minutos. ¿Cómo se llama tu negocio?",
                    "Hi! I'm Karibu 👋 I'll set up your business's online booking in 2 minutes. What's your business called?",
                    "Habari! Mimi ni Karibu 👋 Nitakuandalia miadi ya mtandaoni ya biashara yako kwa dakika 2. Biashara yako inaitwa nani?"));
                break;

            case AskName:
                if (text.Length is 0 or > Limits.Name || !text.Any(char.IsLetterOrDigit))
                {
                    reply.Text(T(l, "¿Cómo se llama tu negocio? Escríbeme solo el nombre.", "What's your business called? Just send me the name.", "Biashara yako inaitwa nani? Nitumie jina tu."));
                    break;
                }

                (state.Name, state.Step) = (text, AskType);
                reply.Text(T(l, $"¡Qué buen nombre! ¿Qué tipo de negocio es {text}?", $"Great name! What kind of business is {text}?", $"Jina zuri! {text} ni biashara ya aina gani?")
                    + "\n" + Numbered(NewBusiness.Types.Select(t => TypeName(l, t))));
                break;

            case AskType:
                if (ReadType(text, u.Choice) is not { } type)
                {
                    reply.Text(T(l, "Responde con el número, por ejemplo 1.", "Reply with the number, for example 1.", "Jibu kwa nambari, kwa mfano 1.")
                        + "\n" + Numbered(NewBusiness.Types.Select(t => TypeName(l, t))));
                    break;
                }

                (state.Type, state.Step) = (type, AskCountry);
                reply.Text(T(l, "¿En qué país está?", "Which country is it in?", "Iko nchi gani?") + "\n" + Numbered(Market.All.Select(m => MarketName(l, m))));
                break;

            case AskCountry:
                if (ReadMarket(text, u.Choice, l) is not { } market)
                {
                    reply.Text(T(l, "Responde con el número, por ejemplo 1.", "Reply with the number, for example 1.", "Jibu kwa nambari, kwa mfano 1.")
                        + "\n" + Numbered(Market.All.Select(m => MarketName(l, m))));
                    break;
                }

                (state.Market, state.Step) = (market.Code, Confirming);
                reply.Buttons(T(l, $"Voy a crear *{state.Name}* ({TypeName(l, state.Type!.Value)}, {MarketName(l, market)}) con tu número como dueño. ¿Lo creo?",
                    $"I'll create *{state.Name}* ({TypeName(l, state.Type!.Value)}, {MarketName(l, market)}) with your number as the owner. Shall I?",
                    $"Nitafungua *{state.Name}* ({TypeName(l, state.Type!.Value)}, {MarketName(l, market)}) na nambari yako kama mmiliki. Nifungue?"), GuidedReply.YesNo(l));
                break;

            case Confirming when u.Yes == true:
                await CreateAsync(state, customer, reply, ct);
                break;

            case Confirming when u.Yes == false:
                (state.Step, state.Name, state.Type, state.Market) = (AskName, null, null, null);
                reply.Text(T(l, "De acuerdo, empecemos de nuevo. ¿Cómo se llama tu negocio?", "OK, let's start again. What's your business called?", "Sawa, tuanze upya. Biashara yako inaitwa nani?"));
                break;

            case Confirming:
                reply.Buttons(T(l, "¿Lo creo? Responde sí o no.", "Shall I create it? Reply yes or no.", "Nifungue? Jibu ndiyo au hapana."), GuidedReply.YesNo(l));
                break;

            default:
                reply.Text(Links(l, state.Slug ?? ""));
                break;
        }

        conversation.AssistantState = JsonSerializer.Serialize(state, JsonColumn.Options);
    }

    /// <summary>
    /// Makes the business through a unit of work of its own (a unit of work acts for one business only) that joins
    /// this one's connection and transaction: the business, the reply and the event's "processed" mark commit
    /// together, or none of them.
    /// </summary>
    private async Task CreateAsync(ChatSignupState state, Customers.Customer customer, GuidedReply reply, CancellationToken ct)
    {
        var l = reply.Language;
        if (await OwnedBusinessAsync(customer.PhoneNumber, ct) is { } owned)
        {
            state.Step = null;
            reply.Text(T(l, $"Ya tienes {owned} en Karibu. Entra aquí: {SignInLink}", $"You already have {owned} on Karibu. Sign in here: {SignInLink}", $"Tayari una {owned} kwenye Karibu. Ingia hapa: {SignInLink}"));
            return;
        }

        var ownerName = customer.DisplayName is { Length: > 0 } display ? display
            : await db.People.AsNoTracking().Where(p => p.Id == customer.PersonId).Select(p => p.ProfileName).FirstOrDefaultAsync(ct) is { Length: > 0 } profile ? profile
            : state.Name!;
        await db.SaveChangesAsync(ct);
        await using var scope = scopes.CreateAsyncScope();
        var inner = scope.ServiceProvider.GetRequiredService<KaribuDb>();
        if (db.Database.CurrentTransaction is { } transaction)
        {
            inner.Database.SetDbConnection(db.Database.GetDbConnection());
            await inner.Database.UseTransactionAsync(transaction.GetDbTransaction(), ct);
        }

        var v = new Validation();
        var made = await NewBusiness.AddAsync(inner, scope.ServiceProvider.GetRequiredService<TenantContext>(), new NewBusinessInput(
            state.Name!, state.Type!.Value, Market.Find(state.Market)!, Truncate(ownerName), customer.PhoneNumber, null, null), starterKit: true, v, ct);
        if (made is null)
        {
            log.LogWarning("Chat signup of {Name} failed: {Errors}", state.Name, string.Join("; ", v.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
            (state.Step, state.Name, state.Type, state.Market) = (AskName, null, null, null);
            reply.Text(T(l, "Uy, no pude crear el negocio. ¿Me escribes otra vez el nombre?", "Sorry, I couldn't create the business. Could you send me the name again?", "Samahani, sikuweza kufungua biashara. Unaweza kunitumia jina tena?"));
            return;
        }

        await inner.SaveChangesAsync(ct);
        (state.Step, state.Slug) = (Done, made.Value.Organization.Slug);
        reply.Text(T(l, $"¡Listo! {state.Name} ya está en Karibu 🎉 Agregué servicios con precios sugeridos y horario de lunes a sábado de 9 a 19.",
            $"Done! {state.Name} is on Karibu 🎉 I added services with suggested prices and hours Monday to Saturday, 9 to 7.",
            $"Tayari! {state.Name} iko kwenye Karibu 🎉 Nimeongeza huduma zenye bei zilizopendekezwa na saa za Jumatatu hadi Jumamosi, 3 asubuhi hadi 1 jioni.")
            + "\n\n" + Links(l, state.Slug));
    }

    private string Links(Language l, string slug) => T(l,
        $"Tu página de reservas (compártela con tus clientes): {BaseUrl}/b/{slug}\nTu agenda: {SignInLink} (entra con un código a este WhatsApp)",
        $"Your booking page (share it with your customers): {BaseUrl}/b/{slug}\nYour agenda: {SignInLink} (sign in with a code sent to this WhatsApp)",
        $"Ukurasa wako wa miadi (washirikishe wateja wako): {BaseUrl}/b/{slug}\nRatiba yako: {SignInLink} (ingia kwa nambari itakayotumwa kwa WhatsApp hii)");

    private string BaseUrl => options.Value.PublicBaseUrl!.TrimEnd('/');

    private string SignInLink => $"{BaseUrl}/app/sign-in";

    /// <summary>The business this phone already owns (across all businesses), if any.</summary>
    private Task<string?> OwnedBusinessAsync(string phone, CancellationToken ct) =>
        db.Staff.IgnoreQueryFilters(KaribuDb.TenantFilterOnly).Where(s => s.PhoneNumber == phone && s.Role == StaffRole.Owner && s.IsActive)
            .Join(db.Organizations.IgnoreQueryFilters(KaribuDb.TenantFilterOnly), s => s.OrganizationId, o => o.Id, (s, o) => o.Name)
            .FirstOrDefaultAsync(ct);

    private static ChatSignupState? TryRead(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<ChatSignupState>(json, JsonColumn.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Language FromPhone(string phone) => phone.StartsWith("+52", StringComparison.Ordinal) ? Language.Es : Language.En;

    private static BusinessType? ReadType(string text, int? choice)
    {
        if (choice is >= 1 and <= 5)
        {
            return NewBusiness.Types[choice.Value - 1];
        }

        var t = text.ToLowerInvariant();
        return t.Contains("barb", StringComparison.Ordinal) || t.Contains("kinyozi", StringComparison.Ordinal) ? BusinessType.Barbershop
            : t.Contains("uña", StringComparison.Ordinal) || t.Contains("nail", StringComparison.Ordinal) || t.Contains("kucha", StringComparison.Ordinal) ? BusinessType.NailSalon
            : t.Contains("sal", StringComparison.Ordinal) || t.Contains("belleza", StringComparison.Ordinal) || t.Contains("beauty", StringComparison.Ordinal) ? BusinessType.BeautySalon
            : t.Contains("spa", StringComparison.Ordinal) || t.Contains("masa", StringComparison.Ordinal) ? BusinessType.Spa
            : t.Contains("otro", StringComparison.Ordinal) || t.Contains("other", StringComparison.Ordinal) || t.Contains("nyingine", StringComparison.Ordinal) ? BusinessType.Other
            : null;
    }

    private static Market? ReadMarket(string text, int? choice, Language l)
    {
        if (choice is >= 1 and <= 3)
        {
            return Market.All[choice.Value - 1];
        }

        var t = text.ToLowerInvariant();
        return t.Contains("xico", StringComparison.Ordinal) || t.Contains("mex", StringComparison.Ordinal) ? Market.Mexico
            : t.Contains("ken", StringComparison.Ordinal) ? (l == Language.Sw ? Market.KenyaSwahili : Market.KenyaEnglish)
            : null;
    }

    private static string Numbered(IEnumerable<string> options) => string.Join("\n", options.Select((o, i) => $"{i + 1}. {o}"));

    private static string TypeName(Language l, BusinessType type) => type switch
    {
        BusinessType.Barbershop => T(l, "Barbería", "Barbershop", "Kinyozi"),
        BusinessType.BeautySalon => T(l, "Salón de belleza", "Beauty salon", "Saluni ya urembo"),
        BusinessType.NailSalon => T(l, "Uñas", "Nails", "Kucha"),
        BusinessType.Spa => T(l, "Spa", "Spa", "Spa"),
        _ => T(l, "Otro", "Other", "Nyingine"),
    };

    private static string MarketName(Language l, Market market) => market.Code switch
    {
        "mx" => T(l, "México", "Mexico", "Meksiko"),
        "ke-en" => T(l, "Kenia (en inglés)", "Kenya (in English)", "Kenya (kwa Kiingereza)"),
        _ => T(l, "Kenia (en suajili)", "Kenya (in Swahili)", "Kenya (kwa Kiswahili)"),
    };

    private static string Truncate(string name) => name.Length <= Limits.Name ? name : name[..Limits.Name];

    private static string T(Language l, string es, string en, string sw) => l.Pick(es, en, sw);
}
