namespace Acf.Modules.Apply;

/// <summary>
/// Confirm-or-rollback around one action that could cut the admin off (issue 15): one such change at a time, refused
/// while another waits to be kept; its rollback record is on disk before the action's first change, not after it
/// returns; and it waits to be kept only when the action succeeded and changed something (else the record goes).
/// </summary>
internal sealed class GuardedChange(ApplyGuard guard)
{
    private readonly SemaphoreSlim _one = new(1);

    /// <summary>Runs <paramref name="run"/> with the journal that records its changes for the rollback.</summary>
    public async Task<RunResult> RunAsync(string user, string module, string controllerAction,
        Func<ChangeJournal, Task<RunResult>> run, CancellationToken cancellationToken)
    {
        await _one.WaitAsync(cancellationToken);
        try
        {
            if (guard.Refusal() is { } busy) return new RunResult(RunStatus.Busy, Error: busy);
            var journal = guard.Open(user, module, controllerAction);
            var begun = false;
            try
            {
                var result = await run(journal);
                begun = result.Entity?.Succeeded == true && !journal.IsEmpty && guard.Begin(user, module, controllerAction, journal);
                return result;
            }
            finally
            {
                if (!begun) guard.Discard();
            }
        }
        finally
        {
            _one.Release();
        }
    }
}
