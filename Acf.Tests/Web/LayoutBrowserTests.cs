namespace Acf.Tests.Web;

/// <summary>The app's frame in Chromium: the reconnect dialog an admin meets at every networking restart.</summary>
[Trait("Category", "Browser")]
public class LayoutBrowserTests : PageTest
{
    /// <summary>Issue #20: the scoped CSS bundle was never linked, so a lost connection showed every state's text at
    /// once, unstyled, top left. A cut connection must show one state's text in a centred dialog.</summary>
    [Fact]
    public async Task ConnectionCut_InBrowser_ReconnectDialogShowsOneStateCentred()
    {
        var circuit = new CuttableCircuit();
        var page = await OpenAsync("/", prepare: circuit.RouteAsync);

        await circuit.CutAsync();
        var dialog = page.Locator("#components-reconnect-modal");
        await Assertions.Expect(dialog.Locator("p").GetByText("Rejoin", new() { Exact = false }).First).ToBeVisibleAsync();
        await dialog.EvaluateAsync("d => Promise.all(d.getAnimations().map(a => a.finished))"); // the slide-in
        await page.ScreenshotAsync(new() { Path = ScreenshotPath("reconnect.png") });

        var visibleTexts = await dialog.Locator("p").EvaluateAllAsync<string[]>(
            "ps => ps.filter(p => getComputedStyle(p).display !== 'none').map(p => p.innerText.trim())");
        var text = Assert.Single(visibleTexts);
        Assert.StartsWith("Rejoin", text, StringComparison.Ordinal);
        var box = await dialog.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.InRange(box.X + box.Width / 2, page.ViewportSize!.Width / 2 - 20, page.ViewportSize.Width / 2 + 20);
        await circuit.DisposeAsync();
    }

    internal static string ScreenshotPath(string name) =>
        Path.Combine(Path.GetTempPath(), "acf-screenshots", name);

    /// <summary>The page's circuit socket goes through Playwright, so a test can drop it the way a networking restart
    /// does; once cut, every reconnect attempt is refused.</summary>
    private sealed class CuttableCircuit : IAsyncDisposable
    {
        private readonly List<IWebSocketRoute> _open = [];
        private readonly List<Task> _closing = [];
        private bool _cut;

        public async Task RouteAsync(IBrowserContext context)
        {
            // SignalR falls back to server-sent events and long polling when the socket is refused: cut those too.
            await context.RouteAsync("**/_blazor**", route => Cut ? route.AbortAsync() : route.ContinueAsync());
            await context.RouteWebSocketAsync("**/_blazor*", Connect);
        }

        private bool Cut
        {
            get { lock (_open) return _cut; }
        }

        private void Connect(IWebSocketRoute socket)
        {
            lock (_open)
            {
                if (_cut) _closing.Add(socket.CloseAsync());
                else
                {
                    socket.ConnectToServer();
                    _open.Add(socket);
                }
            }
        }

        public async Task CutAsync()
        {
            IWebSocketRoute[] open;
            lock (_open)
            {
                _cut = true;
                open = [.. _open];
            }
            foreach (var socket in open) await socket.CloseAsync();
        }

        public async ValueTask DisposeAsync()
        {
            Task[] closing;
            lock (_open) closing = [.. _closing];
            await Task.WhenAll(closing);
        }
    }
}
