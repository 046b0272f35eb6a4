using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.OpenApi;

namespace Karibu.Hosting;

internal static class ApiDefaults
{
    public static WebApplicationBuilder AddKaribuApi(this WebApplicationBuilder builder)
    {
        if (builder.Environment.IsDevelopment() && string.IsNullOrEmpty(builder.Configuration["Karibu:AdminApiKey"]))
        {
            // A newcomer gets a working admin key without configuring anything; production never does.
            var generated = new GeneratedAdminKey("kb_admin_" + ApiKeys.Base64Url(RandomNumberGenerator.GetBytes(24)));
            builder.Configuration["Karibu:AdminApiKey"] = generated.Key;
            builder.Services.AddSingleton(generated);
        }

        builder.Services.AddOptions<KaribuOptions>()
            .BindConfiguration(KaribuOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);

        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
            // A misspelt field would otherwise be silently ignored; the caller is told instead.
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            // "duration_minutes": "30" is a wrong type, as "name": 30 is; the web defaults would accept it.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = BodySizeLimit.MaxBytes);

        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            // Status-code-only answers (no handler wrote a body) still say what to do.
            c.ProblemDetails.Detail ??= c.ProblemDetails.Status switch
            {
                StatusCodes.Status401Unauthorized => "A valid API key is required: 'Authorization: Bearer <api key>'.",
                StatusCodes.Status403Forbidden => "This API key may not do that; creating organizations needs the platform admin key.",
                StatusCodes.Status404NotFound => "No such resource.",
                StatusCodes.Status405MethodNotAllowed => "This resource does not support that method.",
                _ => null,
            };
        });
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();

        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiKeyAuthenticationHandler.AdminRole, p => p.RequireRole(ApiKeyAuthenticationHandler.AdminRole));

        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Karibu API",
                Version = "v1",
                Description = "Bookings, customers and messaging for small service businesses. Authenticate with 'Authorization: Bearer <api key>'.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "The platform admin key or an organization's API key.",
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] }];
            return Task.CompletedTask;
        }));
        return builder;
    }

    public static WebApplication UseKaribuApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<BodySizeLimit>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<TenantScopeMiddleware>();
        app.UseMiddleware<IdempotencyMiddleware>();

        app.MapOpenApi();
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "docs";
            o.SwaggerEndpoint("/openapi/v1.json", "Karibu API v1");
            o.DocumentTitle = "Karibu API";
        });

        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).ExcludeFromDescription();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).ExcludeFromDescription();
        return app;
    }
}

internal sealed record GeneratedAdminKey(string Key);
