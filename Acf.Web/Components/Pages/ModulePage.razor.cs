using Acf.Modules.Apply;
using Acf.Web.Auth;
using Acf.Web.Localization;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;

namespace Acf.Web.Components.Pages;

/// <summary>
/// Any module action's page: reads the action with the page's query as input, draws its entity with the CFE
/// renderer, runs a form's submit or a table row's button, shows a long command's live output, reads a
/// <c>refresh</c> entity again every so many seconds and a guarded form's confirm-or-rollback choice. What it says
/// about a run is <see cref="RunMessages"/>, its input from the address <see cref="ModuleQuery"/>, the work it starts
/// on its own (reloads on events, the refresh loop, repaints) <see cref="PageWork"/>.
/// </summary>
public sealed partial class ModulePage : IDisposable
{
    [Parameter] public string Prefix { get; set; } = "";
    [Parameter] public string Controller { get; set; } = "";
    [Parameter] public string Action { get; set; } = "";

    [Inject] private ModuleRunner Runner { get; set; } = default!;
    [Inject] private ModuleCatalog Catalog { get; set; } = default!;
    [Inject] private CurrentUser Users { get; set; } = default!;
    [Inject] private HostSummary Host { get; set; } = default!;
    [Inject] private IStringLocalizer<ModulePage> L { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ModuleTexts Texts { get; set; } = default!;
    [Inject] private UserMenu UserMenu { get; set; } = default!;
    [Inject] private HostActions HostActions { get; set; } = default!;
    [Inject] private ActionTitles Titles { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private ILogger<ModulePage> Logger { get; set; } = default!;

    private static readonly string[] ResultIds = ["module-error", "row-action-result", "cfe-form-error", "cfe-form-result"];

    private PageWork _work = null!;
    private RunMessages _messages = null!;
    private LiveOutput _live = null!;
    private CfeNode? _entity;
    private string? _error;
    private bool _waiting; // the error is a pending change to settle first, not a failure
    private string? _settledSeen; // the last settled change this page has reloaded for
    private bool _loading = true;
    private bool _busy;
    private bool _showResult; // a submit ended: bring its answer into view once drawn
    private IReadOnlyList<AppMenuItem> _tabs = [];
    private RowResult? _rowResult;
    private bool _guarded;
    private bool _unchecked;
    private ModuleInput _lastInput = ModuleInput.Empty;
    private string? _loadedQuery;
    private CancellationTokenSource? _refreshLoop;

    private string Href => $"/{Prefix}/{Controller}/{Action}";

    private string Title => _tabs.FirstOrDefault(t => t.Href == Href) is { } tab ? $"{tab.Group}: {tab.Tab}" : _entity?.Label ?? Prefix;

    protected override void OnInitialized()
    {
        _work = new PageWork(InvokeAsync, ShowFailure, Logger);
        _messages = new RunMessages(L, HostActions, Titles);
        _live = new LiveOutput(() => _work.Start(_ => Repaint()));
        Navigation.LocationChanged += OnLocationChanged;
        _settledSeen = HostActions.LastSettled?.Id;
        HostActions.ApplyChanged += OnApplySettled;
    }

    protected override Task OnParametersSetAsync()
    {
        _rowResult = null; // another page: the last row's answer is not about it
        return LoadAsync();
    }

    /// <summary>The answer of a submit (result, error) is where the admin looks, not scrolled off under a long form.</summary>
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!_showResult) return;
        _showResult = false;
        try
        {
            await using var script = await JS.InvokeAsync<IJSObjectReference>("import", "./js/result.js");
            await script.InvokeVoidAsync("show", (object)ResultIds);
        }
        catch (JSDisconnectedException)
        {
            // the page is gone
        }
    }

    public void Dispose()
    {
        _refreshLoop?.Cancel();
        _work?.Dispose(); // a load still in flight leaves the queue; nothing the page started runs on
        Navigation.LocationChanged -= OnLocationChanged;
        HostActions.ApplyChanged -= OnApplySettled;
    }

    /// <summary>
    /// A link to the same action with another query (<c>?interface=gre1</c>, ACF's way of choosing an item) changes no
    /// route parameter, so Blazor does not set the parameters again: run the action for the new query here.
    /// </summary>
    private void OnLocationChanged(object? sender, LocationChangedEventArgs e)
    {
        var uri = new Uri(e.Location);
        if (!string.Equals(uri.AbsolutePath, Href, StringComparison.OrdinalIgnoreCase) || uri.Query == _loadedQuery) return;
        _work.Start(_ => ReloadAsync());
    }

    /// <summary>
    /// After a rollback the files on screen are no longer the machine's: the page reads them again rather than let the
    /// admin save a stale form (which would fail on a conflict or undo the rollback).
    /// </summary>
    private void OnApplySettled()
    {
        if (HostActions.LastSettled is not { Outcome: ApplyOutcome.RolledBack } settled || settled.Id == _settledSeen) return;
        _settledSeen = settled.Id;
        _work.Start(_ => _busy ? Task.CompletedTask : ReloadAsync()); // busy: the running save's answer shows what is there now
    }

    private async Task ReloadAsync()
    {
        await LoadAsync();
        StateHasChanged();
    }

    private Task Repaint()
    {
        StateHasChanged();
        return Task.CompletedTask;
    }

    /// <summary>Work the page started on its own failed (a reload, a refresh): say so rather than keep a stale page.</summary>
    private void ShowFailure(Exception failure)
    {
        _loading = false;
        _waiting = false;
        _error = _messages.Failed(failure);
        StateHasChanged();
    }
}
