using Acf.Web.Api;
using Acf.Web.Auth;
using Acf.Web.Components;
using Acf.Web.Localization;
using Acf.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Localization;
using MudBlazor.Services;

namespace Acf.Web;

public static class AcfWebExtensions
{
    /// <summary>The web host: Blazor with MudBlazor, cookie login with ACF's users and roles, the API.</summary>
    public static WebApplicationBuilder AddAcfWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidatedBy(new ValidateAuthOptions());
        services.AddOptions<BootstrapOptions>().BindConfiguration(BootstrapOptions.Section);

        // A tab that went away without saying so (closed while offline, a lost connection) keeps its circuit for this
        // long in case it comes back; Blazor's 3 minutes held every lost tab's page in memory long after it was gone.
        var retain = TimeSpan.FromSeconds(builder.Configuration.GetValue("Acf:Web:DisconnectedCircuitSeconds", 30));
        services.AddRazorComponents().AddInteractiveServerComponents(options => options.DisconnectedCircuitRetentionPeriod = retain);
        services.AddMudServices();
        // The app's and the modules' JSON catalogs (keyed by the English text) instead of resource files.
        services.TryAddSingleton<AppTexts>();
        services.TryAddSingleton<IStringLocalizerFactory, JsonStringLocalizerFactory>();
        services.TryAddSingleton<ModuleTexts>();
        services.AddLocalization();

        // The login cookie for pages and the hub; on /api a bearer token instead when one is sent.
        services.AddAuthentication(ApiTokenAuthenticationHandler.SelectorScheme)
            .AddCookie()
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddPolicyScheme(ApiTokenAuthenticationHandler.SelectorScheme, null,
                policy => policy.ForwardDefaultSelector = ApiTokenAuthenticationHandler.SelectScheme);
        services.TryAddSingleton<ApiTokenStore>();
        builder.AddAcfHttps();
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>(ConfigureCookie);
        services.AddAuthorization();
        services.AddCascadingAuthenticationState();
        services.AddAntiforgery();
        // Cookie and antiforgery keys live in the data folder, readable by Acf alone, so sessions survive a restart.
        services.AddDataProtection().SetApplicationName("Acf");
        // The same cookie and antiforgery header on every API call: each decrypted once (the session is still checked per request).
        services.AddUnprotectMemo();
        services.AddOptions<KeyManagementOptions>().Configure<SystemHost, ILoggerFactory>((keys, host, logging) =>
        {
            var folder = Directory.CreateDirectory(Path.Combine(host.DataPath, "keys"));
            folder.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            keys.XmlRepository = new FileSystemXmlRepository(folder, logging);
        });

        services.TryAddSingleton<SessionStore>();
        services.TryAddSingleton<Reauthentication>();
        services.TryAddSingleton(sp =>
        {
            var auth = sp.GetRequiredService<IOptions<AuthOptions>>().Value;
            return new LoginThrottle(sp.GetRequiredService<TimeProvider>(), new LoginThrottleOptions
            {
                MaxFailures = auth.MaxFailures,
                Window = TimeSpan.FromMinutes(auth.FailureWindowMinutes),
                Lockout = TimeSpan.FromMinutes(auth.LockoutMinutes),
                FirstBackOff = TimeSpan.FromSeconds(auth.FirstBackOffSeconds),
            });
        });
        services.AddAcfSecondFactor();
        services.TryAddSingleton<AdminBootstrap>();
        services.AddHostedService(sp => sp.GetRequiredService<AdminBootstrap>());
        services.TryAddScoped<CurrentUser>();
        services.TryAddSingleton<HostFacts>();
        services.TryAddSingleton<LiveSampler>();
        services.TryAddScoped<HostSummary>();
        services.TryAddScoped<UserMenu>();
        services.TryAddSingleton<ActionTitles>();
        // The idle trim (AddAcfModules registers it) counts circuit events, as the middleware below counts requests.
        services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, IdleCircuitActivity>());
        return builder;
    }

    public static WebApplication MapAcf(this WebApplication app)
    {
        var trim = app.Services.GetRequiredService<IdleMemoryTrim>();
        app.Use((context, next) =>
        {
            trim.Touch();
            return next(context);
        });
        app.UseAcfSecurityHeaders();
        if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/Error", createScopeForErrors: true);
        app.UseAcfHsts();
        app.UseRequestLocalization(Languages.RequestOptions());
        app.UseBlazorOriginCheck();
        // Pages get the not-found page; the API keeps its plain status codes (a re-executed POST would hit antiforgery).
        app.UseWhen(context => !context.Request.Path.StartsWithSegments("/api"),
            pages => pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        // An API request stats the host's own files (tokens, passwd, roles) once, in one broker call, for all its
        // checks: with the broker a process of its own each stat was a round trip (HostFileStamps).
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/api"))
            {
                await next(context);
                return;
            }
            using (HostFileStamps.Begin()) await next(context);
        });
        app.UseAuthentication();
        app.UseSecondFactorGate();
        app.UseApiAntiforgery();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapAccountEndpoints();
        app.MapLanguageEndpoints();
        app.MapModuleApi();
        // No permessage-deflate on circuits: each tab kept a zlib state on the server for its whole life (about 0.2 MB of
        // a circuit's 1.5, issue 19), and compressing server text beside what a page echoes is a compression oracle.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(options => options.DisableWebSocketCompression = true);
        return app;
    }

    private static void ConfigureCookie(CookieAuthenticationOptions cookie, IOptions<AuthOptions> auth)
    {
        cookie.Cookie.Name = "acf";
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Strict;
        cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        cookie.ExpireTimeSpan = TimeSpan.FromMinutes(auth.Value.IdleTimeoutMinutes);
        cookie.SlidingExpiration = true;
        cookie.LoginPath = AccountEndpoints.LoginPath;
        cookie.AccessDeniedPath = AccountEndpoints.LoginPath;
        cookie.Events.OnRedirectToLogin = context => ApiStatusOrRedirect(context, StatusCodes.Status401Unauthorized);
        cookie.Events.OnRedirectToAccessDenied = context => ApiStatusOrRedirect(context, StatusCodes.Status403Forbidden);
        cookie.Events.OnValidatePrincipal = async context =>
        {
            // Logged out, removed, locked, or password or roles changed since the login: the cookie is dead at once.
            if (context.HttpContext.RequestServices.GetRequiredService<SessionStore>().IsCurrent(context.Principal)) return;
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        };
    }

    /// <summary>The API answers with a status code; pages redirect to the login form.</summary>
    private static Task ApiStatusOrRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
            context.Response.StatusCode = status;
        else
            context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
