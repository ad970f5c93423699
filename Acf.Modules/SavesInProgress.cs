using System.Collections.Concurrent;

namespace Acf.Modules;

/// <summary>
/// The submits that run now, one per user and module. A page opened while the same user's save in the module still
/// runs (the admin left the page early and came back, issue 20) reads what that save leaves, not the file before it:
/// its form's tag is then current, and the next save is no conflict with the admin's own earlier one.
/// </summary>
internal sealed class SavesInProgress
{
    private readonly ConcurrentDictionary<(string User, string Module), Task> _saving = new();

    /// <summary>True while a submit of this user in this module runs (a page left before its save ended).</summary>
    public bool IsSaving(string user, string module) => _saving.ContainsKey((user, module));

    /// <summary>Waits until the user's save in the module, if one runs, has ended.</summary>
    public async Task DoneAsync(string user, string module, CancellationToken cancellationToken)
    {
        if (_saving.TryGetValue((user, module), out var running)) await running.WaitAsync(cancellationToken);
    }

    /// <summary>Marks the user's save in the module as running until the answer is disposed.</summary>
    public IDisposable Begin(string user, string module) => new Save(_saving, (user, module));

    private sealed class Save : IDisposable
    {
        private readonly ConcurrentDictionary<(string User, string Module), Task> _saving;
        private readonly (string User, string Module) _key;
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Save(ConcurrentDictionary<(string User, string Module), Task> saving, (string User, string Module) key)
        {
            _saving = saving;
            _key = key;
            saving[key] = _done.Task;
        }

        public void Dispose()
        {
            _done.TrySetResult();
            _saving.TryRemove(new KeyValuePair<(string, string), Task>(_key, _done.Task));
        }
    }
}
