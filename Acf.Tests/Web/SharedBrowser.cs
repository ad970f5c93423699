namespace Acf.Tests.Web;

/// <summary>One Chromium for a whole test class (a class fixture): each test opens its own context, so cookies and
/// pages never cross, and a loaded CI machine starts the browser once per class instead of once per test.</summary>
public sealed class SharedBrowser : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await BrowserTests.LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        // Null when the launch failed (Debian's chromium missing): Playwright is still stopped.
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

/// <summary>One app on Kestrel and one Chromium for a whole test class (a class fixture), for classes whose tests only
/// read pages or each work on their own item.</summary>
public class BrowserApp : IAsyncLifetime
{
    public AcfAppFactory Factory { get; } = new();

    public Uri BaseUrl { get; private set; } = default!;

    public SharedBrowser Chromium { get; } = new();

    public async Task InitializeAsync()
    {
        BaseUrl = Factory.StartKestrel();
        await Chromium.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Chromium.DisposeAsync();
        Factory.Dispose();
    }
}

/// <summary>
/// One test's Chromium on an app the test started (the set-up each browser test wrote out): <see cref="StartAsync"/>
/// puts the test's factory, configured first, on Kestrel and starts the browser; disposing stops the browser, and the
/// test disposes its factory after it.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly SharedBrowser _chromium;

    private BrowserSession(SharedBrowser chromium, Uri baseUrl)
    {
        _chromium = chromium;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public IBrowser Browser => _chromium.Browser;

    public static async Task<BrowserSession> StartAsync(AcfAppFactory factory)
    {
        var baseUrl = factory.StartKestrel();
        var chromium = new SharedBrowser();
        try
        {
            await chromium.InitializeAsync();
        }
        catch
        {
            await chromium.DisposeAsync();
            throw;
        }
        return new BrowserSession(chromium, baseUrl);
    }

    /// <summary>A new context's page on <paramref name="path"/>, logged in as root (<see cref="BrowserTests.LoggedInPageAsync"/>).</summary>
    public Task<IPage> LoggedInPageAsync(string path, BrowserNewContextOptions? options = null, Func<IBrowserContext, Task>? prepare = null) =>
        BrowserTests.LoggedInPageAsync(Browser, BaseUrl, path, options, prepare);

    public async ValueTask DisposeAsync() => await _chromium.DisposeAsync();
}
