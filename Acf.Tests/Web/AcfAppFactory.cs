using Acf.Broker.Text;
using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;

namespace Acf.Tests.Web;

/// <summary>
/// The whole app on the demo host, with its own data folder (and so its own copy of <c>demo/</c>) per instance,
/// configured the way an admin would: through Acf:* settings. Log lines are kept so tests can read what an admin
/// would read in the log (the setup link).
/// </summary>
public sealed partial class AcfAppFactory(string? adminPassword = AcfAppFactory.AdminPassword) : WebApplicationFactory<Program>
{
    public const string AdminPassword = "test-admin-password";

    public string DataPath { get; } = Directory.CreateTempSubdirectory("acf-web-").FullName;

    public string DemoRoot => Path.Combine(DataPath, "demo-root");

    public ConcurrentQueue<string> LogLines { get; } = new();

    /// <summary>More Acf:* settings of one test (set before the app starts), as an admin's appsettings would give them.</summary>
    public Dictionary<string, string> Settings { get; } = new(StringComparer.Ordinal);

    /// <summary>Registrations of one test put over the app's (set before the app starts), e.g. a broker decorator.</summary>
    public List<Action<IServiceCollection>> TestServices { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development"); // static web assets of the build output are served in Development only
        builder.UseSetting("Acf:System:Mode", "demo");
        builder.UseSetting("Acf:Data:Path", DataPath);
        builder.UseSetting("Acf:Bootstrap:AdminPassword", adminPassword ?? "");
        builder.UseSetting("Acf:System:DemoSource", Path.Combine(ModuleTestHost.RepositoryRoot, "demo"));
        builder.UseSetting("Acf:Modules:Path", Path.Combine(ModuleTestHost.RepositoryRoot, "modules-lua"));
        // A test double: the broker inside the test's app, which a test substitutes or wraps (TestServices) and whose
        // start costs no second process; the broker process is BrokerProcessTests' (and the app's default: DefaultBrokerTests).
        builder.UseSetting("Acf:Broker:Process", "in-process");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(new CollectingLoggerProvider(LogLines)));
        builder.ConfigureTestServices(services => TestServices.ForEach(configure => configure(services)));
    }

    /// <summary>Starts a real Kestrel on a free loopback port (for the browser) and returns its address.</summary>
    public Uri StartKestrel()
    {
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address);
    }

    public HttpClient CreateBrowserLikeClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>A JSON request body, as API clients send it.</summary>
    public static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    /// <summary>Logs in through the real login form (antiforgery token included) and returns the response.</summary>
    public static async Task<HttpResponseMessage> LoginAsync(HttpClient client, string user, string password)
    {
        var form = await client.GetStringAsync("/login");
        var token = AntiforgeryField().Match(form).Groups[1].Value;
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["user"] = user,
            ["password"] = password,
            ["returnUrl"] = "/",
        }));
    }

    public async Task<HttpClient> LoggedInClientAsync(string user = UserStore.FirstAdmin, string password = AdminPassword)
    {
        var client = CreateBrowserLikeClient();
        var response = await LoginAsync(client, user, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        await AddAntiforgeryHeaderAsync(client);
        return client;
    }

    /// <summary>Cookie-authenticated API calls need the antiforgery header: fetches it once, as a script would.</summary>
    public static async Task AddAntiforgeryHeaderAsync(HttpClient client)
    {
        var answer = await client.GetFromJsonAsync<JsonElement>("/api/antiforgery");
        client.DefaultRequestHeaders.Add(answer.GetProperty("headerName").GetString()!, answer.GetProperty("token").GetString());
    }

    /// <summary>Adds a user line to the demo root's /etc/acf/passwd (as an admin editing the file would).</summary>
    public void AddUser(string name, string password, params string[] roles)
    {
        _ = Services; // the app (and so the demo root and root's line) exists before the file is extended
        var line = $"{name}:{Sha512Crypt.Hash(password, rounds: 5000)}:{name}:{string.Join(',', roles)}::\n";
        File.AppendAllText(Path.Combine(DemoRoot, "etc", "acf", "passwd"), line);
    }

    public string ReadRootFile(string path) => File.ReadAllText(Path.Combine(DemoRoot, path.TrimStart('/')));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(DataPath, recursive: true); } catch (IOException) { }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    /// <summary>Keeps the formatted log lines (Information and above) in <c>lines</c>.</summary>
    internal sealed class CollectingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Collector(lines);

        public void Dispose() { }

        private sealed class Collector(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
                Func<TState, Exception?, string> formatter) => lines.Enqueue(formatter(state, exception));
        }
    }
}
