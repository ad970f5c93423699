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
/// One test's Chromium on an app: <see cref="OpenAsync"/> makes the app, starts the browser and opens root's page
/// (the set-up most browser tests open with) and disposes the app with the browser; <see cref="StartAsync"/> puts a
/// factory the test made and configured first on Kestrel, and the test disposes that factory after the session.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly SharedBrowser _chromium;
    private readonly bool _ownsFactory;
    private IPage? _page;

    public AcfAppFactory Factory { get; }

    public Uri BaseUrl { get; }

    public IBrowser Browser => _chromium.Browser;

    /// <summary>The page <see cref="OpenAsync"/> opened, logged in as root.</summary>
    public IPage Page => _page ?? throw new InvalidOperationException("StartAsync opens no page: use LoggedInPageAsync");

    private BrowserSession(SharedBrowser chromium, AcfAppFactory factory, Uri baseUrl, bool ownsFactory)
    {
        _chromium = chromium;
        Factory = factory;
        BaseUrl = baseUrl;
        _ownsFactory = ownsFactory;
    }

    public static Task<BrowserSession> StartAsync(AcfAppFactory factory) => StartAsync(factory, ownsFactory: false);

    /// <summary>A new app with its defaults, Chromium and a new context's page on <paramref name="path"/>, logged in as
    /// root (<see cref="BrowserTests.LoggedInPageAsync"/>); disposing the session disposes the app too.</summary>
    public static async Task<BrowserSession> OpenAsync(string path, BrowserNewContextOptions? options = null,
        Func<IBrowserContext, Task>? prepare = null)
    {
        var session = await StartAsync(new AcfAppFactory(), ownsFactory: true);
        try
        {
            session._page = await session.LoggedInPageAsync(path, options, prepare);
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
        return session;
    }

    private static async Task<BrowserSession> StartAsync(AcfAppFactory factory, bool ownsFactory)
    {
        var chromium = new SharedBrowser();
        try
        {
            var baseUrl = factory.StartKestrel();
            await chromium.InitializeAsync();
            return new BrowserSession(chromium, factory, baseUrl, ownsFactory);
        }
        catch
        {
            await chromium.DisposeAsync();
            if (ownsFactory) factory.Dispose();
            throw;
        }
    }

    /// <summary>A new context's page on <paramref name="path"/>, logged in as root (<see cref="BrowserTests.LoggedInPageAsync"/>).</summary>
    public Task<IPage> LoggedInPageAsync(string path, BrowserNewContextOptions? options = null, Func<IBrowserContext, Task>? prepare = null) =>
        BrowserTests.LoggedInPageAsync(Browser, BaseUrl, path, options, prepare);

    public async ValueTask DisposeAsync()
    {
        await _chromium.DisposeAsync();
        if (_ownsFactory) Factory.Dispose();
    }
}

/// <summary>
/// A browser test class whose tests each open one page on their own app (Playwright's <c>PageTest</c>, for xunit):
/// <see cref="OpenAsync"/> is <see cref="BrowserSession.OpenAsync"/>, and the session it opens, the app with it, is
/// disposed after the test. A test that configures its app first starts its own <see cref="BrowserSession"/>.
/// </summary>
public abstract class PageTest : IAsyncLifetime
{
    private BrowserSession? _session;

    /// <summary>The session <see cref="OpenAsync"/> opened.</summary>
    protected BrowserSession Session => _session ?? throw new InvalidOperationException("no page yet: call OpenAsync first");

    /// <summary>The app of the page <see cref="OpenAsync"/> opened.</summary>
    protected AcfAppFactory Factory => Session.Factory;

    /// <summary>A new app, Chromium and a page on <paramref name="path"/> logged in as root; once a test.</summary>
    protected async Task<IPage> OpenAsync(string path, BrowserNewContextOptions? options = null, Func<IBrowserContext, Task>? prepare = null)
    {
        if (_session is not null) throw new InvalidOperationException("OpenAsync opens one app a test: use Session for more pages");
        _session = await BrowserSession.OpenAsync(path, options, prepare);
        return _session.Page;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_session is not null) await _session.DisposeAsync();
    }
}
