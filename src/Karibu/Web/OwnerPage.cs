using Karibu.Data;
using Karibu.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Karibu.Features.Assistant.Understanding;
using Microsoft.AspNetCore.Components;
using NodaTime;

namespace Karibu.Web;

/// <summary>
/// A screen of the owner app: rendered on the server for the signed-in person (the layout has loaded
/// <see cref="Session"/> before the page starts), with helpers for their language and the business's time.
/// Pages override <see cref="LoadAsync"/> instead of OnInitializedAsync.
/// </summary>
[Authorize(Policy = AccountEndpoints.Policy)]
[Layout(typeof(OwnerLayout))]
public abstract class OwnerPage : ComponentBase
{
    [CascadingParameter] public HttpContext HttpContext { get; set; } = default!;

    [Inject] internal OwnerSession Session { get; set; } = default!;

    [Inject] internal KaribuDb Db { get; set; } = default!;

    [Inject] internal TimeProvider Time { get; set; } = default!;

    [Inject] internal NavigationManager Navigation { get; set; } = default!;

    internal Language L => Session.Language;

    protected CancellationToken Aborted => HttpContext.RequestAborted;

    protected string T(string es, string en, string sw) => Session.T(es, en, sw);

    protected LocalDate Today => Session.Today;

    private bool _loaded;

    /// <summary>
    /// Loads the screen before the framework's lifecycle starts. Left to OnInitializedAsync, a query that really
    /// awaits (PostgreSQL; SQLite's finish at once) makes the framework render the page once half-loaded, and markup
    /// reading what is not loaded yet throws. Here nothing renders until the screen is ready.
    /// </summary>
    public override async Task SetParametersAsync(ParameterView parameters)
    {
        if (!_loaded)
        {
            _loaded = true;
            parameters.SetParameterProperties(this);
            if (!await Session.LoadAsync(HttpContext))
            {
                Navigation.NavigateTo(OwnerApp.SignInPath(HttpContext.Request));
                return;
            }

            await LoadAsync();
            // The parameters are set: setting them again would undo what LoadAsync filled in (a form left null on a GET).
            await base.SetParametersAsync(ParameterView.Empty);
            return;
        }

        await base.SetParametersAsync(parameters);
    }

    /// <summary>Reads what the screen shows and handles its form posts.</summary>
    protected abstract Task LoadAsync();
}
