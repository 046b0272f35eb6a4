using Karibu.Common;
using Karibu.Web;

namespace Karibu.Features.Organizations;

/// <summary>
/// A screen under <c>/app/settings</c>: who may open it, the field errors shown next to their fields (in the person's
/// words, from the same checks the JSON API runs), the friendly "not found" for an id that is not this business's,
/// and the name audit events give the person.
/// </summary>
public abstract class SettingsScreen : OwnerPage
{
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);

    /// <summary>The person may use this screen (else it shows a polite note and changes nothing).</summary>
    internal bool Allowed { get; private set; }

    /// <summary>The id in the address is none of this business's.</summary>
    internal bool Missing { get; private set; }

    /// <summary>Owners always; employees only with this permission; null means owners only, empty everyone.</summary>
    protected abstract string? Permission { get; }

    internal string Actor => $"staff:{Session.Member.Id}";

    internal string? PostedForm =>
        HttpMethods.IsPost(HttpContext.Request.Method) && HttpContext.Request.HasFormContentType ? HttpContext.Request.Form["_handler"].ToString() : null;

    protected sealed override async Task LoadAsync()
    {
        var allowed = Permission switch { null => Session.IsOwner, "" => true, var p => Session.Can(p) };
        if (allowed)
        {
            await LoadSettingsAsync();
        }

        // Only now: the framework renders once while a query really awaits (PostgreSQL), and a screen shown before its
        // data is loaded would read fields it has not set yet.
        Allowed = allowed;
    }

    /// <summary>Reads what the screen shows (only for people allowed to see it).</summary>
    protected abstract Task LoadSettingsAsync();

    /// <summary>
    /// The id is none of this business's: the screen says so kindly. (The status stays 200: a 404 set while rendering
    /// makes the framework hand the answer to the API's problem+json status pages instead of this page.)
    /// </summary>
    protected void NotFound() => Missing = true;

    internal bool HasErrors => _errors.Count > 0;

    internal string? Error(string field) => _errors.GetValueOrDefault(field);

    internal string? Invalid(string field) => _errors.ContainsKey(field) ? "true" : null;

    internal void Fail(string field, string message) => _errors.TryAdd(field, message);

    /// <summary>Shows <paramref name="message"/> next to <paramref name="field"/> when the shared check refused it.</summary>
    internal void Explain(Validation v, string apiField, string field, string message)
    {
        if (v.Has(apiField))
        {
            Fail(field, message);
        }
    }

    /// <summary>The screen's words, for the pieces around it.</summary>
    internal string Say(string es, string en, string sw) => T(es, en, sw);

    internal string NotAllowedNote => T(
        "Esta sección la maneja el dueño del negocio. Si necesitas cambiar algo aquí, pídeselo.",
        "The business owner looks after this section. If something here needs changing, please ask them.",
        "Sehemu hii inashughulikiwa na mmiliki wa biashara. Ukihitaji kubadilisha kitu hapa, tafadhali mwombe.");
}
