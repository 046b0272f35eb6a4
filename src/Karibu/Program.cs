using Karibu.Data;
using Karibu.Features.Accounts;
using Karibu.Features.BookingPage;
using Karibu.Features.Channels.Simulator;
using Karibu.Features.Channels.Sms;
using Karibu.Features.Channels.WhatsApp;
using Karibu.Features.Messaging;
using Karibu.Features.Conversations;
using Karibu.Features.Customers;
using Karibu.Features.Faq;
using Karibu.Features.Notifications;
using Karibu.Features.Onboarding;
using Karibu.Features.Organizations;
using Karibu.Features.Payments;
using Karibu.Features.Playground;
using Karibu.Features.Retention;
using Karibu.Features.Scheduling;
using Karibu.Features.Services;
using Karibu.Features.Staff;
using Karibu.Hosting;
using Karibu.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

var builder = WebApplication.CreateBuilder(args);

// Options, JSON, problem+json, API-key auth, OpenAPI.
builder.AddKaribuApi();
// One DbContext on SQLite (default) or PostgreSQL, tenant filter and interceptor.
builder.AddKaribuData();
// Owners and staff in the owner app: session cookies from a code by phone or email and password.
builder.AddKaribuSessions();

// Encrypted secrets (WhatsApp tokens) must be readable by every instance: the key ring lives in the database.
builder.Services.AddDataProtection().SetApplicationName("Karibu");
builder.Services.AddOptions<KeyManagementOptions>()
    .Configure<IServiceScopeFactory, TimeProvider>((o, scopes, time) => o.XmlRepository = new DatabaseXmlRepository(scopes, time));

builder.Services.AddOptions<WhatsAppOptions>().BindConfiguration(WhatsAppOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<EmbeddedSignupOptions>().BindConfiguration(EmbeddedSignupOptions.SectionName).ValidateOnStart();
builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<EmbeddedSignupOptions>, EmbeddedSignupOptions.Validator>();
builder.Services.AddHttpClient<WhatsAppGraphClient>((sp, c) =>
    c.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<WhatsAppOptions>>().Value.TimeoutSeconds));

builder.Services.AddScoped<BookingService>();
builder.Services.AddScoped<WhatsAppConnect>();
builder.Services.AddScoped<BookingNotices>();
builder.Services.AddScoped<ConversationReplies>();
builder.Services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<NotificationWorker>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<NotificationWorker>());
builder.AddKaribuMessaging();
builder.Services.AddSmsProviders();
builder.Services.AddSingleton<IdempotencyCleanup>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<IdempotencyCleanup>());
builder.Services.AddSingleton<DemoBusiness.StartupBanner>();

// Server-rendered pages (static SSR, no script): the public booking page.
builder.Services.AddRazorComponents();
builder.Services.AddOptions<BookingPageOptions>().BindConfiguration(BookingPageOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<BookingLimits>();
builder.Services.AddScoped<BookingCodeFlow>();
// Self-service signup (/signup) and the welcome wizard.
builder.Services.AddOptions<SignupOptions>().BindConfiguration(SignupOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<SignupLimits>();
builder.Services.AddOptions<PlatformOptions>().BindConfiguration(PlatformOptions.SectionName);
builder.Services.AddScoped<ChatSignup>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<DemoBusiness.StartupBanner>());

// Stylesheets, scripts, the manifest and JSON go compressed (Brotli, else gzip), also over HTTPS. HTML pages do
// not: they carry antiforgery tokens next to text from the request, the pattern BREACH attacks, and they are small.
builder.Services.AddResponseCompression(o =>
{
    o.EnableForHttps = true;
    o.Providers.Add<Microsoft.AspNetCore.ResponseCompression.BrotliCompressionProvider>();
    o.Providers.Add<Microsoft.AspNetCore.ResponseCompression.GzipCompressionProvider>();
    o.MimeTypes = ["text/css", "text/javascript", "application/javascript", "application/manifest+json", "application/json", "application/problem+json", "image/svg+xml"];
});

var app = builder.Build();

app.UseResponseCompression();
app.UseKaribuApi();
app.UseStaticFiles(new StaticFileOptions
{
    OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "public, max-age=3600",
});
// Checks the token of form posts to the pages only: API and webhook endpoints carry no antiforgery metadata.
app.UseAntiforgery();

var api = app.MapGroup("/api/v1").RequireAuthorization();
var organization = api.MapGroup("/organizations/{org_id:guid}").WithMetadata(new TenantScopedAttribute());
api.MapOrganizationEndpoints(organization);
organization.MapGroup("/services").MapServiceEndpoints();
organization.MapGroup("/staff").MapStaffEndpoints().MapTimeOffEndpoints();
organization.MapGroup("/customers").MapCustomerEndpoints();
organization.MapGroup("/availability").MapAvailabilityEndpoints().MapSlotEndpoints();
organization.MapGroup("/appointments").MapAppointmentEndpoints();
organization.MapGroup("/conversations").MapConversationEndpoints();
organization.MapGroup("/faq").MapFaqEndpoints();
organization.MapGroup("/templates").MapTemplateEndpoints();
organization.MapRetentionEndpoints();
organization.MapGroup("/simulator").MapSimulatorEndpoints();
organization.MapSmsAccountEndpoints();
organization.MapPaymentEndpoints();

// Called by providers: authenticated by their signature or a secret in the URL, not an API key.
app.MapGroup("/api/v1/webhooks").AllowAnonymous().MapWhatsAppWebhook().MapSmsWebhooks().MapMpesaWebhooks();

// Sign-in for the owner app (a code by phone, or email and password) and the session it opens.
app.MapAccountEndpoints();

// A phone-like page to talk to the assistant (every business in Development, demo businesses elsewhere).
app.MapPlayground();

// The public booking page, /b/{slug}: anonymous, indexable (robots.txt, sitemap.xml), plain HTML forms; and the
// business's photo for it.
app.MapBusinessPhotoFile();
app.MapRazorComponents<App>();
app.MapSearchEngineFiles();

app.MapGet("/", () => TypedResults.Redirect("/docs")).ExcludeFromDescription();

await app.Services.MigrateDatabaseAsync();
await OrganizationSlugs.BackfillAsync(app.Services);
await DemoBusiness.SeedIfEmptyAsync(app.Services);

app.Run();
