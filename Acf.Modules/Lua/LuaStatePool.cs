namespace Acf.Modules.Lua;

/// <summary>
/// The Lua states a worker keeps between actions, so that an action does not pay for building a state (docs/isolation.md).
/// A state serves only actions of its trust domain (<see cref="DomainOf"/>: the same module, the same user with the
/// same roles, the same system); another user's or module's action never gets it. At most
/// <paramref name="capacity"/> states are kept, the least recently used closed first. A state goes back only when its
/// action ended well (<see cref="LuaSandbox.Spoiled"/>), after a full collection, and while it holds at most
/// <paramref name="retainedBytes"/> more than when it was new; any other is closed. One thread uses a pool (the
/// worker's), and the collection runs after the answer was sent (<see cref="Return"/>).
/// </summary>
/// <remarks>8 states: a dashboard alone runs actions of three modules for its user (alpine-baselayout's overview,
/// apk-tools' upgradable count, alpine-conf's lbu count), each page one more, several admins several times that, and a
/// least-recently-used list shorter than the round of domains a worker sees keeps none of them. A state holds about 65 KiB between actions (docs/benchmarks.md): 8 cost about 0.5 MB.</remarks>
internal sealed class LuaStatePool(int capacity = LuaStatePool.DefaultCapacity, long retainedBytes = 256 << 10) : IDisposable
{
    /// <summary>The states a worker keeps.</summary>
    public const int DefaultCapacity = 8;

    private readonly LinkedList<(string Domain, LuaSandbox State)> _idle = []; // the most recently used first

    /// <summary>States kept now.</summary>
    public int Count => _idle.Count;

    /// <summary>Who may share a state: the module, the user's name and roles, the system it acts on.</summary>
    public static string DomainOf(string module, AcfPrincipal user, HostInfo host) =>
        string.Join('\0', [module, user.Name, string.Join(',', user.Roles.Order(StringComparer.Ordinal)), host.Mode.ToString(), host.Root]);

    /// <summary>A kept state of <paramref name="domain"/>, or a new one.</summary>
    public LuaSandbox Take(string domain, ModulesOptions limits)
    {
        for (var node = _idle.First; node is not null; node = node.Next)
        {
            if (node.Value.Domain != domain) continue;
            _idle.Remove(node);
            return node.Value.State;
        }
        return new LuaSandbox(limits);
    }

    /// <summary>Gives a state back after its action: kept for the next action of <paramref name="domain"/> when it
    /// ended well and is small again after a full collection, closed otherwise.</summary>
    public void Return(string domain, LuaSandbox state)
    {
        if (!state.Recycle(retainedBytes))
        {
            state.Dispose();
            return;
        }
        _idle.AddFirst((domain, state));
        while (_idle.Count > capacity)
        {
            var oldest = _idle.Last!.Value.State;
            _idle.RemoveLast();
            oldest.Dispose();
        }
    }

    /// <summary>Closes every kept state.</summary>
    public void Clear()
    {
        foreach (var (_, state) in _idle) state.Dispose();
        _idle.Clear();
    }

    public void Dispose() => Clear();
}
