using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Acf.Web.Security;

/// <summary>HTTPS by default outside the demo host, HSTS, and the certificate Kestrel serves.</summary>
public static class HttpsSetup
{
    /// <summary>True when <c>Acf:Https:Mode</c> asks for HTTPS: <c>on</c>, or <c>auto</c> on Alpine.</summary>
    public static bool IsOn(IConfiguration configuration)
    {
        var mode = configuration[$"{HttpsOptions.Section}:Mode"] ?? "auto";
        return mode == "on" || mode == "auto" && SystemHost.ResolveMode(configuration["Acf:System:Mode"]) == HostMode.Alpine;
    }

    public static WebApplicationBuilder AddAcfHttps(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<HttpsOptions>().BindConfiguration(HttpsOptions.Section).ValidatedBy(new ValidateHttpsOptions());
        services.AddSingleton<TlsCertificate>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, KestrelCertificate>();
        services.AddOptions<HstsOptions>().Configure<IOptions<HttpsOptions>>((hsts, https) =>
        {
            // No includeSubDomains and no preload: the box's name may be the parent of names it does not serve.
            hsts.MaxAge = TimeSpan.FromDays(https.Value.HstsMaxAgeDays);
            hsts.IncludeSubDomains = false;
        });

        if (IsOn(builder.Configuration))
        {
            // Every address speaks HTTPS: http:// in --urls is taken as https://, and without any address Acf listens
            // on every interface at Acf:Https:Port.
            var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey];
            var port = builder.Configuration.GetValue($"{HttpsOptions.Section}:Port", 443);
            builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, string.IsNullOrWhiteSpace(urls)
                ? $"https://*:{port}"
                : urls.Replace("http://", "https://", StringComparison.OrdinalIgnoreCase));
            builder.WebHost.UseSetting("https_ports", "");
            builder.WebHost.UseSetting("http_ports", "");
        }
        return builder;
    }

    public static IApplicationBuilder UseAcfHsts(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<IOptions<HttpsOptions>>().Value.HstsMaxAgeDays > 0 ? app.UseHsts() : app;

    /// <summary>Every HTTPS address gets Acf's certificate, made or loaded when the first one is bound.</summary>
    private sealed class KestrelCertificate(TlsCertificate certificate) : IConfigureOptions<KestrelServerOptions>
    {
        public void Configure(KestrelServerOptions options) =>
            options.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate.Certificate);
    }
}
