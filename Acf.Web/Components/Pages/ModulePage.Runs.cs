using Acf.Web.Components.Renderer;

namespace Acf.Web.Components.Pages;

/// <summary>
/// The run-and-show flow of a module page: a read (the page's query as input), a form's submit (with its live
/// output), a table row's button, the refresh loop; each run's answer goes on screen (<see cref="Show"/>).
/// </summary>
public sealed partial class ModulePage
{
    private async Task LoadAsync()
    {
        _loadedQuery = new Uri(Navigation.Uri).Query;
        _loading = true;
        _entity = null;
        _error = null;
        var user = await Users.GetAsync();
        if (user is null)
        {
            _error = L["Your session has ended. Reload the page to log in again."].Value;
            _loading = false;
            return;
        }
        _tabs = AppMenu.TabsOf(UserMenu.For(user), Href);
        _unchecked = false;
        _lastInput = ModuleQuery.Input(Navigation.Uri);
        _guarded = Catalog.Find(Prefix)?.IsGuarded($"{Controller}/{Action}", _lastInput.Values) == true;
        RunResult result;
        try
        {
            result = await Runner.RunAsync(user, Prefix, Controller, Action, _lastInput, _work.Closed);
        }
        catch (OperationCanceledException) when (_work.IsClosed)
        {
            return; // the page closed before its read was served
        }
        Show(result, keepEntity: false);
        _loading = false;
        ScheduleRefresh();
    }

    /// <summary>
    /// An entity with <c>refresh</c> (a log's live tail) is fetched again every so many seconds with the last input
    /// as a plain read (never a submit), until the page changes or closes.
    /// </summary>
    private void ScheduleRefresh()
    {
        _refreshLoop?.Cancel();
        _refreshLoop = null;
        if (_entity?.Refresh is not { } seconds) return;
        var loop = _refreshLoop = new CancellationTokenSource();
        _work.Start(closed => RefreshLoopAsync(TimeSpan.FromSeconds(seconds), loop.Token, closed));
    }

    private async Task RefreshLoopAsync(TimeSpan every, CancellationToken replaced, CancellationToken closed)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(replaced, closed);
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellation.Token))
            {
                if (_busy || await Users.GetAsync() is not { } user) continue;
                var result = await Runner.RunAsync(user, Prefix, Controller, Action, _lastInput, cancellation.Token);
                if (result.Status != RunStatus.Ok || cancellation.IsCancellationRequested) continue;
                _entity = Shown(result.Entity);
                StateHasChanged();
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // the page moved on
        }
    }

    /// <summary>
    /// A table row's button runs another action of this module (rc/control for the services list): the runner checks
    /// the user's roles for that action and applies its confirm-or-rollback; its answer is said above the list, which
    /// is read again.
    /// </summary>
    private async Task RunRowActionAsync(AcfPrincipal user, CfeSubmission submission, string target)
    {
        var parts = target.Split('/');
        if (parts.Length != 2) return;
        _busy = true;
        try
        {
            var input = new ModuleInput(submission.Values, submission.Button);
            var result = await Runner.RunAsync(user, Prefix, parts[0], parts[1], input);
            var entity = Shown(result.Entity);
            _rowResult = _messages.RowAnswer(result, entity, parts[0], parts[1]);
            if (entity?.Succeeded == true) Host.Refresh();
        }
        finally
        {
            _busy = false;
        }
        await LoadAsync();
        _showResult = true;
    }

    private async Task SubmitAsync(CfeSubmission submission)
    {
        var user = await Users.GetAsync();
        if (user is null)
        {
            _error = L["Your session has ended. Reload the page to log in again."].Value;
            return;
        }
        if (submission.Action is { } target)
        {
            await RunRowActionAsync(user, submission, target);
            return;
        }
        _rowResult = null;
        _busy = true;
        try
        {
            _live.Clear();
            var words = Texts.For(Prefix); // here: the sandbox's thread does not have the circuit's language
            var values = ModuleQuery.WithQuery(submission.Values, Navigation.Uri);
            var input = new ModuleInput(values, submission.Button) { Unchecked = _guarded && _unchecked };
            var result = await Runner.RunAsync(user, Prefix, Controller, Action, input, output: _live.Line,
                progress: step => _live.StepTo(words.Translate(step)));
            _lastInput = new ModuleInput(values);
            Show(result, keepEntity: true);
            ScheduleRefresh();
            if (result.Entity?.Succeeded == true) Host.Refresh();
            // Only an app path (never another site): a reboot hands over to the page that waits for the box.
            if (result.Entity is { Succeeded: true, Redirect: { } to } && to.StartsWith('/') && CfeHrefs.SafeHref(to) is { } local)
                Navigation.NavigateTo(local, forceLoad: true);
        }
        finally
        {
            _busy = false;
            _showResult = true;
        }
    }

    /// <summary>A failed run keeps the form on screen (with the user's input) and says why above it.</summary>
    private void Show(RunResult result, bool keepEntity)
    {
        _waiting = result.Status == RunStatus.Busy;
        _error = _messages.ErrorOf(result, Controller, Action);
        if (result.Entity is not null) _entity = Shown(result.Entity);
        else if (!keepEntity) _entity = null;
    }

    /// <summary>The entity in the user's language (labels only: the values and names a submit sends stay the module's).</summary>
    private CfeNode? Shown(CfeNode? entity) => entity is null ? null : Texts.Translate(Prefix, entity);
}
