using System.Globalization;
using Acf.Modules;
using Acf.Modules.Apply;
using Acf.Modules.Cfe;
using Acf.Web.Auth;
using Acf.Web.Hosting;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace Acf.Web.Components.Pages;

/// <summary>
/// The landing page: the box at a glance. Everything comes through the runner like any page, so a user sees only
/// what the roles grant: <c>alpine-baselayout/health/overview</c> once (release, disks, services), the "needs
/// attention" counts from apk-tools and alpine-conf, and <c>health/live</c> again every <see cref="Interval"/> on
/// one timer of this page, which ends with it (leaving the page or closing the circuit).
/// </summary>
public sealed partial class Dashboard
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private const string Base = "alpine-baselayout";

    [Inject] private ModuleRunner Runner { get; set; } = default!;
    [Inject] private CurrentUser Users { get; set; } = default!;
    [Inject] private HostSummary Host { get; set; } = default!;
    [Inject] private ApplyGuard Guard { get; set; } = default!;
    [Inject] private ActionTitles Titles { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private IStringLocalizer<Dashboard> L { get; set; } = default!;

    private readonly LiveHistory _history = new();
    private readonly LineChartOptions _percentOptions = new() { YAxisSuggestedMax = 100, ShowLegend = false, YAxisTicks = 25 };
    private readonly LineChartOptions _trafficOptions = new() { YAxisToStringFunc = BitsPerSecond, MaxNumYAxisTicks = 5, YAxisRequireZeroPoint = true };
    private AcfPrincipal? _user;
    private CfeNode? _live;
    private CfeNode? _overview;
    private string? _error;
    private List<AttentionItem> _attention = [];
    private ITimer? _timer;
    private int _sampling;

    private sealed record AttentionItem(string Text, string? Href);

    private sealed record DiskUse(string Mount, long Size, long Used)
    {
        public double Percent => Size > 0 ? 100.0 * Used / Size : 0;
    }

    protected override async Task OnInitializedAsync()
    {
        _user = await Users.GetAsync();
        if (_user is null) return;
        var overview = await Runner.RunAsync(_user, Base, "health", "overview", ModuleInput.Empty);
        _overview = overview.Status == RunStatus.Ok ? overview.Entity : null;
        await SampleAsync();
        if (_live is null && _overview is null)
            _error = L["Your roles do not include the system's health; the menu has the pages you may open."];
        await GatherAttentionAsync();
        Guard.Changed += OnGuardChanged;
        if (_live is not null) _timer = Time.CreateTimer(_ => Tick(), null, Interval, Interval);
    }

    /// <summary>A tick that finds the previous one still running (a loaded box) is skipped, so ticks never pile up.</summary>
    private void Tick()
    {
        if (Interlocked.CompareExchange(ref _sampling, 1, 0) != 0) return;
        InvokeAsync(async () =>
        {
            try
            {
                await SampleAsync();
                StateHasChanged();
            }
            finally
            {
                Interlocked.Exchange(ref _sampling, 0);
            }
        });
    }

    private async Task SampleAsync()
    {
        if (_user is null) return;
        var live = await Runner.RunAsync(_user, Base, "health", "live", ModuleInput.Empty);
        if (live.Status != RunStatus.Ok) return;
        _live = live.Entity!;
        _history.Add(LiveSample.From(_live, Time.GetUtcNow()));
    }

    private async Task GatherAttentionAsync()
    {
        var items = new List<AttentionItem>();
        if (Guard.Pending is { } pending)
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
        var result = await Runner.RunAsync(_user!, module, controller, action, ModuleInput.Empty);
        return result.Status == RunStatus.Ok && result.Entity!.Errtxt is null ? result.Entity.Rows.Count : null;
    }

    private void OnGuardChanged() => InvokeAsync(async () =>
    {
        await GatherAttentionAsync();
        StateHasChanged();
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

    private List<ChartSeries<double>> CpuSeries => [new() { Name = L["CPU %"], Data = _history.Cpu.ToArray() }];

    private List<ChartSeries<double>> TrafficSeries(IReadOnlyList<double> received, IReadOnlyList<double> sent) =>
    [
        new() { Name = L["in"], Data = received.ToArray() },
        new() { Name = L["out"], Data = sent.ToArray() },
    ];

    /// <summary>Time labels for the x axis: only the oldest and "now", so they never overlap on a phone.</summary>
    private string[] Labels(int count) =>
        Enumerable.Range(0, count).Select(i => i == 0 ? $"-{(count - 1) * Interval.TotalSeconds:0} s" : i == count - 1 ? L["now"].Value : "").ToArray();

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

    public async ValueTask DisposeAsync()
    {
        Guard.Changed -= OnGuardChanged;
        if (_timer is not null) await _timer.DisposeAsync();
    }
}
