using Microsoft.Playwright;

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
        await Browser.DisposeAsync();
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
