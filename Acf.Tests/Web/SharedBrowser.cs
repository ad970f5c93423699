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
