using System.Security.Cryptography;
using Acf.Web.Hosting;
using Xunit.Abstractions;

namespace Acf.Tests.Web;

/// <summary>
/// Issue 14, done-when 3: an unchanged save of every page, done in the browser, writes nothing. One app, one browser:
/// every menu page whose form has a Save or Apply button is opened and saved as it comes, and after each the demo root
/// must hold the same bytes in every file and the audit no write. Pages reached from a page are tried too (a
/// WireGuard interface's peers), and each file an expert page offers (<c>?file=</c>), not only the one it opens with.
/// </summary>
[Trait("Category", "Browser")]
public class UnchangedSaveBrowserTests(ITestOutputHelper output) : PageTest
{
    private static readonly string[] SaveButtons = ["Save", "Apply"];

    /// <summary>Item pages tried per action (the first links a list shows): enough to meet each form, few enough for time.</summary>
    private const int ItemsPerAction = 2;

    /// <summary>Choices that open another item of the same page by its query (<c>?file=</c> on the expert pages,
    /// <c>?interface=</c> on WireGuard's peers), not a value the form saves.</summary>
    private static readonly string[] Choosers = ["file", "interface"];

    [Fact]
    public async Task EveryPage_SavedUnchangedInBrowser_NoFileChangedNothingWritten()
    {
        var page = await OpenAsync("/");
        var runner = Factory.Services.GetRequiredService<ModuleRunner>();
        var audit = Factory.Services.GetRequiredService<AuditLog>();
        var menu = AppMenu.Build(Factory.Services.GetRequiredService<ModuleAccess>().Available(ModuleTestHost.Admin)).Select(i => i.Href).Distinct().ToList();
        var offered = await OfferedPagesAsync(runner, menu);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var failures = new List<string>();
        var saved = new List<string>();
        var pending = new Queue<string>(menu.Concat(offered));
        var seenPages = new HashSet<string>(menu.Concat(offered), StringComparer.Ordinal);
        var itemsOf = new Dictionary<string, int>(StringComparer.Ordinal);
        while (pending.TryDequeue(out var href))
        {
            await BrowserTests.GoAsync(page, href);
            await page.Locator(".cfe-view, #module-error").First.WaitForAsync();
            foreach (var link in await ItemLinksAsync(page, href))
                {
                    var action = link.Split('?')[0];
                    if (itemsOf.GetValueOrDefault(action) >= ItemsPerAction || !seenPages.Add(link)) continue;
                    itemsOf[action] = itemsOf.GetValueOrDefault(action) + 1;
                    pending.Enqueue(link);
                }
            var button = await SaveButtonAsync(page);
            if (button is null) continue;
            var before = Snapshot(Factory.DemoRoot);
            var seen = audit.ReadAll().Count;

            await page.ClickAsync($".cfe-buttons #cfe-submit-{button}");
            var answer = page.Locator("#cfe-form-result, #cfe-form-error, #module-error").First;
            await answer.WaitForAsync();
            saved.Add(href);

            // A menu page without an item is a new item's form (so is a chooser's page: WireGuard's peers of wg0 with
            // none chosen): saved empty it may be refused (it says why), but an item's own form, saved as it came, must
            // be taken.
            var id = await answer.GetAttributeAsync("id");
            if (id != "cfe-form-result" && href.Contains('?') && !offered.Contains(href))
                failures.Add($"{href}: the unchanged {button} was answered with {id}: {(await answer.InnerTextAsync()).Trim()}");
            foreach (var change in Changes(before, Snapshot(Factory.DemoRoot))) failures.Add($"{href}: {change}");
            foreach (var entry in audit.ReadAll().Skip(seen).Where(IsChange))
                failures.Add($"{href}: the audit has {entry.Action} {entry.Target} ({entry.Request})");
        }
        output.WriteLine($"{saved.Count} pages saved unchanged in {clock.Elapsed.TotalSeconds:F1} s: {string.Join(" ", saved)}");

        Assert.True(saved.Count(h => h.Contains('?')) >= 10, $"only {saved.Count} pages with a save: {string.Join(", ", saved)}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// Issue 14: in the browser a list could not be emptied (the last search domain): the save said "Nothing changed".
    /// Emptying the text area and saving removes the demo's only <c>search</c> line and nothing else.
    /// </summary>
    [Fact]
    public async Task DnsSearchList_EmptiedInBrowser_LastDomainRemovedOtherLinesKept()
    {
        var page = await OpenAsync("/alpine-baselayout/dns/edit");
        var before = Factory.ReadRootFile("/etc/resolv.conf");
        Assert.Contains("search example.lan\n", before);

        await page.FillAsync("#cfe-search", "");
        await page.ClickAsync(".cfe-buttons #cfe-submit-Save");

        await Assertions.Expect(page.Locator("#cfe-form-result")).ToContainTextAsync("DNS settings saved.");
        Assert.Equal(before.Replace("search example.lan\n", ""), Factory.ReadRootFile("/etc/resolv.conf"));
    }

    /// <summary>The items a menu page's chooser offers (<see cref="Choosers"/>) beyond the one it opens with, as pages.</summary>
    private static async Task<IReadOnlyList<string>> OfferedPagesAsync(ModuleRunner runner, IEnumerable<string> menu)
    {
        var pages = new List<string>();
        foreach (var href in menu)
        {
            var parts = href.Trim('/').Split('/');
            if (parts.Length != 3) continue;
            var result = await runner.RunAsync(ModuleTestHost.Admin, parts[0], parts[1], parts[2], Acf.Modules.Cfe.ModuleInput.Empty);
            foreach (var name in Choosers)
                if (result.Entity?.Find(name) is { Type: "select" } chooser)
                    pages.AddRange(chooser.Options.Where(o => o.Value != chooser.Text).Take(ItemsPerAction)
                        .Select(o => $"{href}?{name}={Uri.EscapeDataString(o.Value)}"));
        }
        return pages;
    }

    /// <summary>Links of the page to an item of the same module (a page of its own with a query: ?name=eth0).</summary>
    private static async Task<IReadOnlyList<string>> ItemLinksAsync(IPage page, string href)
    {
        var prefix = "/" + href.Split('/')[1] + "/";
        var links = await page.Locator($".cfe-view a[href^='{prefix}']").EvaluateAllAsync<string[]>("as => as.map(a => a.getAttribute('href'))");
        return links.Where(l => l.Contains('?')).Distinct().ToList();
    }

    /// <summary>The form's own save button (its first of Save or Apply), or null for a page with none.</summary>
    private static async Task<string?> SaveButtonAsync(IPage page)
    {
        foreach (var name in SaveButtons)
            if (await page.Locator($".cfe-buttons #cfe-submit-{name}").CountAsync() > 0) return name;
        return null;
    }

    private static bool IsChange(AuditEntry entry) =>
        entry.Action.StartsWith("write", StringComparison.Ordinal) || entry.Action is "remove" or "restore" or "link" or "mkdir"
        || entry.Argv is { Count: > 0 };

    private static Dictionary<string, string> Snapshot(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), Fingerprint, StringComparer.Ordinal);

    /// <summary>A file's bytes by hash; a link (an OpenRC runlevel's, possibly dangling on the demo host) by its target.</summary>
    private static string Fingerprint(string path) =>
        new FileInfo(path).LinkTarget is { } target ? $"-> {target}" : Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private static IEnumerable<string> Changes(Dictionary<string, string> before, Dictionary<string, string> after)
    {
        foreach (var (path, hash) in after)
            if (!before.TryGetValue(path, out var old)) yield return $"/{path} appeared";
            else if (old != hash) yield return $"/{path} changed";
        foreach (var path in before.Keys.Where(p => !after.ContainsKey(p))) yield return $"/{path} vanished";
    }
}
