using Acf.Modules.Apply;
using Acf.Web.Auth;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace Acf.Web.Components.Pages;

/// <summary>
/// The landing page: the box at a glance. Everything comes through the runner like any page, so a user sees only
/// what the roles grant: <c>alpine-baselayout/health/overview</c> once (release, disks, services), the "needs
/// attention" counts from apk-tools and alpine-conf, and the live figures (<c>health/live</c>) from the one
/// <see cref="LiveSampler"/> all open dashboards share, every <see cref="Interval"/>, watched until this page ends
/// (leaving the page or closing the circuit). Each page keeps its own short history of the shared readings.
/// </summary>
public sealed partial class Dashboard
{
    public static readonly TimeSpan Interval = LiveSampler.Interval;
    private const string Base = "alpine-baselayout";

    [Inject] private ModuleRunner Runner { get; set; } = default!;
    [Inject] private LiveSampler Sampler { get; set; } = default!;
    [Inject] private CurrentUser Users { get; set; } = default!;
    [Inject] private HostSummary Host { get; set; } = default!;
    [Inject] private HostActions HostActions { get; set; } = default!;
    [Inject] private ActionTitles Titles { get; set; } = default!;
    [Inject] private IStringLocalizer<Dashboard> L { get; set; } = default!;

    private readonly LiveHistory _history = new();
    private AcfPrincipal? _user;
    private CfeNode? _live;
    private CfeNode? _overview;
    private string? _error;
    private List<AttentionItem>? _attention; // null until gathered: "Nothing" must not show while the checks still run
    private IDisposable? _watching;
    // Cancelled when the page goes: its reads still waiting for one of the user's places leave the queue. Under load
    // (issue 19's bench) closed tabs' reads kept the workers busy for a minute after every tab had gone.
    private readonly CancellationTokenSource _closed = new();

    private sealed record AttentionItem(string Text, string? Href);

    private sealed record DiskUse(string Mount, long Size, long Used)
    {
        public double Percent => Size > 0 ? 100.0 * Used / Size : 0;
    }

    protected override async Task OnInitializedAsync()
    {
        try
        {
            await LoadAsync();
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested)
        {
            // the page closed before its reads were served
        }
        finally
        {
            // Closed while it loaded: DisposeAsync ran before the watch began, so this ends it (a watch left behind
            // kept the shared sampler, the workers and this page with its circuit alive for good).
            if (_closed.IsCancellationRequested) _watching?.Dispose();
        }
    }

    private async Task LoadAsync()
    {
        _user = await Users.GetAsync();
        if (_user is null) return;
        var overview = await Runner.RunAsync(_user, Base, "health", "overview", ModuleInput.Empty, _closed.Token);
        _overview = overview.Status == RunStatus.Ok ? overview.Entity : null;
        // The first reading is in before the first render (the latest shared one when fresh); later ones re-render.
        _watching = await Sampler.WatchAsync(_user, reading => InvokeAsync(() =>
        {
            _live = reading.Entity;
            _history.Add(reading.Sample);
            StateHasChanged();
        }));
        if (_watching is null && _overview is null)
            _error = L["Your roles do not include the system's health; the menu has the pages you may open."];
        await GatherAttentionAsync();
        if (_closed.IsCancellationRequested) return; // closed meanwhile: no subscription that nothing would end
        HostActions.ApplyChanged += OnApplyChanged;
    }

    private async Task GatherAttentionAsync()
    {
        var items = new List<AttentionItem>();
        if (HostActions.PendingApply is { } pending)
            items.Add(new(L["{0}, applied by {1}, rolls back unless it is kept.", Titles.Describe(pending.Module, pending.Action), pending.User], null));
        if (await CountAsync("apk-tools", "packages", "upgradable") is > 0 and var upgradable)
            items.Add(new(L["{0} packages can be upgraded.", upgradable], "/apk-tools/packages/upgradable"));
        if (await CountAsync("alpine-conf", "lbu", "status") is > 0 and var uncommitted)
            items.Add(new(L["{0} changed files are not committed: lost at the next reboot.", uncommitted], "/alpine-conf/lbu/status"));
        foreach (var service in _overview?.Find("stopped")?.Rows ?? [])
        {
            var name = service.GetValueOrDefault("name") ?? "";
            items.Add(new(L["{0} is {1}, but it is in the runlevel {2}.", name, service.GetValueOrDefault("state") ?? "",
                service.GetValueOrDefault("runlevels") ?? ""], "/alpine-baselayout/rc/control?service=" + Uri.EscapeDataString(name)));
        }
        _attention = items;
    }

    /// <summary>The rows of a structure action; null when the user may not run it or it failed.</summary>
    private async Task<int?> CountAsync(string module, string controller, string action)
    {
        var result = await Runner.RunAsync(_user!, module, controller, action, ModuleInput.Empty, _closed.Token);
        return result.Status == RunStatus.Ok && result.Entity!.Errtxt is null ? result.Entity.Rows.Count : null;
    }

    private void OnApplyChanged() => InvokeAsync(async () =>
    {
        try
        {
            await GatherAttentionAsync();
            StateHasChanged();
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested)
        {
            // the page closed meanwhile
        }
    });

    private string Facts
    {
        get
        {
            var parts = new List<string>();
            if (_overview?.Find("release")?.Text is { Length: > 0 } release) parts.Add(L["Alpine {0}", release]);
            if (_overview?.Find("kernel")?.Text is { Length: > 0 } kernel) parts.Add(L["kernel {0}", kernel]);
            if (_history.Latest?.UptimeSeconds is { } up) parts.Add(L["up {0}", Uptime(up)]);
            return string.Join(" · ", parts);
        }
    }

    private long? MemoryUsed => _history.Latest is { MemoryTotalKib: { } total, MemoryAvailableKib: { } available } ? total - available : null;

    private IEnumerable<DiskUse> Disks =>
        (_overview?.Find("disk")?.Rows ?? [])
        .Where(r => r.GetValueOrDefault("mount") == "/" || r.GetValueOrDefault("filesystem")?.StartsWith("/dev/", StringComparison.Ordinal) == true)
        .Select(r => new DiskUse(r.GetValueOrDefault("mount") ?? "", Kib(r.GetValueOrDefault("size")), Kib(r.GetValueOrDefault("used"))));

    /// <summary>How long ago the oldest value of a chart was taken, under its left end.</summary>
    private string Oldest(int count) => $"-{(count - 1) * Interval.TotalSeconds:0} s";

    private static long Kib(string? text) => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;

    internal static string KibText(long kib) => kib >= 1048576
        ? (kib / 1048576.0).ToString("0.0 GiB", CultureInfo.InvariantCulture)
        : (kib / 1024.0).ToString("0.0 MiB", CultureInfo.InvariantCulture);

    private static string Rate(IReadOnlyList<double> series) => series.Count > 0 ? BitsPerSecond(series[^1]) : "…";

    internal static string BitsPerSecond(double bits) => bits switch
    {
        >= 1e9 => (bits / 1e9).ToString("0.0 Gbit/s", CultureInfo.InvariantCulture),
        >= 1e6 => (bits / 1e6).ToString("0.0 Mbit/s", CultureInfo.InvariantCulture),
        >= 1e3 => (bits / 1e3).ToString("0.0 kbit/s", CultureInfo.InvariantCulture),
        _ => bits.ToString("0 bit/s", CultureInfo.InvariantCulture),
    };

    internal static string Uptime(long seconds)
    {
        var days = seconds / 86400;
        var clock = $"{seconds % 86400 / 3600}:{seconds % 3600 / 60:00}";
        return days == 0 ? clock : $"{days} day{(days == 1 ? "" : "s")}, {clock}";
    }

    public ValueTask DisposeAsync()
    {
        HostActions.ApplyChanged -= OnApplyChanged;
        _watching?.Dispose(); // the last dashboard to go stops the shared sampler
        _closed.Cancel(); // not disposed: a callback already queued may still read its token
        return ValueTask.CompletedTask;
    }
}
