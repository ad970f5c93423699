namespace Acf.Tests.Hostile;

/// <summary>
/// XSS payloads written straight into the demo root's files (host name, interfaces, resolv.conf, routes, squid.conf,
/// the system log) and into the audit log, then every page of the menu visited in Debian's Chromium: no script of a
/// payload runs (no <c>window.__xss</c>, no dialog, no element with an event attribute), and the payload shows as text.
/// </summary>
[Trait("Category", "Browser")]
public class HostileBrowserTests
{
    private const string Payload = "<img src=x onerror=\"window.__xss=1;alert(1)\">";
    private const string SvgPayload = "<svg/onload=window.__xss=2>";

    private static void Plant(AcfAppFactory factory)
    {
        void Write(string path, string text) => File.WriteAllText(Path.Combine(factory.DemoRoot, path.TrimStart('/')), text);
        void Append(string path, string text) => File.AppendAllText(Path.Combine(factory.DemoRoot, path.TrimStart('/')), text);
        Write("/etc/hostname", Payload + "\n");
        Append("/etc/resolv.conf", $"search {SvgPayload} example.lan\n");
        Append("/etc/network/interfaces", $"\nauto {SvgPayload}\niface {SvgPayload} inet manual\n    description {Payload}\n");
        Append("/etc/route.conf", $"net 10.99.0.0/16 gw {SvgPayload}\n");
        Append("/etc/squid/squid.conf", $"acl {SvgPayload} src 10.9.0.0/16\nvisible_hostname {Payload}\n");
        Append("/var/log/messages", $"Dec  1 12:00:00 box daemon.info evil: {Payload}\n");
        factory.Services.GetRequiredService<AuditLog>().Write(new BrokerCaller(Payload, SvgPayload, Payload, SvgPayload), "write", Payload,
            files: [new AuditFile(Payload, null, null)], argv: [Payload]);
    }

    /// <summary>Elements a payload would have made, had it been rendered as markup.</summary>
    private const string Planted = "() => document.querySelectorAll('[onerror], [onload], img[src=\"x\"]').length";

    [Fact]
    public async Task EveryMenuPage_PayloadsInFiles_NoScriptRunsAndTextShown()
    {
        using var factory = new AcfAppFactory();
        await using var session = await BrowserSession.StartAsync(factory);
        Plant(factory);
        var page = await session.LoggedInPageAsync("/");
        var dialogs = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            dialogs.Add(page.Url + ": " + dialog.Message);
            await dialog.DismissAsync();
        };
        var links = await page.Locator("a[href^='/']").EvaluateAllAsync<string[]>("els => els.map(e => e.getAttribute('href'))");
        var pages = links.Where(l => l.Count(c => c == '/') == 3).Concat(["/audit", "/history?path=/etc/hostname", "/history"])
            .Distinct().ToList();
        Assert.True(pages.Count > 15, $"only {pages.Count} pages found in the menu");

        foreach (var path in pages)
        {
            await BrowserTests.GoAsync(page, path);
            await Assertions.Expect(page.Locator(".mud-progress-linear")).ToHaveCountAsync(0);

            Assert.True(await page.EvaluateAsync<bool>("() => window.__xss === undefined"), $"a payload ran on {path}");
            Assert.Equal(0, await page.EvaluateAsync<int>(Planted));
            Assert.Equal(Payload, (await page.Locator("#app-hostname").InnerTextAsync()).Trim());
        }

        Assert.Empty(dialogs);
        // The check above sees such an element when there is one.
        await page.EvaluateAsync("() => document.body.insertAdjacentHTML('beforeend', '<b onload=\"0\"></b>')");
        Assert.Equal(1, await page.EvaluateAsync<int>(Planted));
        await BrowserTests.GoAsync(page, "/alpine-baselayout/dns/edit");
        Assert.Contains(SvgPayload, await page.Locator("#cfe-search").InputValueAsync());
        await BrowserTests.GoAsync(page, "/audit");
        await Assertions.Expect(page.Locator("#audit-table")).ToContainTextAsync(Payload);
    }
}
