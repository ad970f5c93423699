namespace Acf.Modules.Isolation;

/// <summary>
/// What a worker's calls reach in the app, for one action: the broker (journalling under confirm-or-rollback), the
/// caller fixed by the app (user and module of the action it started), the libraries, the live output of apk, and
/// where the action's named steps go (<c>step</c> frames).
/// </summary>
internal sealed record BrokerCallContext(ISystemBroker Broker, BrokerCaller Caller, ILuaLibraries Libraries, Action<string>? Output,
    Action<string>? Progress = null);

/// <summary>
/// The app's side of the broker protocol. A <c>call</c> frame names a request record by its wire name
/// (<see cref="BrokerRequest.WireName"/>) and carries the record as its body; the record is read strictly as that
/// type and sent through the broker, which answers it by type. The caller comes from <see cref="BrokerCallContext"/>,
/// so a worker can never act as another user or module, and every capability check stays in the broker. A new
/// broker call needs nothing here: its request record is known by its type.
/// </summary>
internal static class BrokerDispatch
{
    /// <summary>The one call that is not the broker's: <c>require</c> in a worker fetches a library's source.</summary>
    public const string ReadLibrary = nameof(ILuaLibraries.ReadLibrary);

    /// <summary>The call names a worker may send (tests check the set against the request records).</summary>
    public static IReadOnlyCollection<string> Methods => [.. BrokerRequest.All.Keys, ReadLibrary];

    /// <summary>
    /// Answers one <c>call</c> frame. An unknown call, a malformed request or a request only the host may make is a
    /// protocol violation (the worker is then killed); a broker that throws becomes a failed result, as it would in
    /// the sandbox.
    /// </summary>
    public static object? Answer(BrokerCallContext context, WorkerFrame frame)
    {
        var method = frame.Method ?? "";
        if (method == ReadLibrary) return Library(context, frame.Read<LibraryRequest>());
        if (!BrokerRequest.Resolve(method, out var type))
            throw new WorkerProtocolException($"There is no broker method '{WorkerFrame.Printable(method)}'.");
        var request = (BrokerRequest)frame.Read(type);
        // Secret writes (mode 0600, no history) are the host's own (/etc/acf/otp); no module asks for one.
        if (request is WriteFileRequest { Secret: true }) throw new WorkerProtocolException("A module cannot ask for a secret write.");
        // A secret file's keys reach only the app's rollback record; a module reads them as tokens (SecretLines).
        if (request is ReadFileRequest { Whole: true }) throw new WorkerProtocolException("A module cannot read a secret file whole.");
        // Login events, the audit log and the whole history are the host's too: a module must not fake or flood
        // events nor read what other modules did (the broker refuses them as well).
        if (request is IHostRequest) throw new WorkerProtocolException($"A module cannot make the host's request {method}.");
        try
        {
            return request.Relay(context.Broker, context.Caller, context.Output);
        }
        catch (Exception e)
        {
            return BrokerResult<object>.Fail(BrokerErrorKind.Failed, $"{method}: {e.Message}");
        }
    }

    // The worker names its module so that a library request reads the same on both sides; the app still decides.
    // A worker that holds the library's current text (the same content hash) gets its path only, not the text again.
    private static LibrarySource Library(BrokerCallContext context, LibraryRequest request)
    {
        if (request.Module != context.Caller.Module) throw new WorkerProtocolException("A worker asked for the libraries of another module.");
        var library = context.Libraries.ReadLibrary(request);
        return library is not null && request.Known is { } known && Lua.ContentHash.Of(library.Source) == known
            ? new LibrarySource(library with { Source = [] }, Unchanged: true)
            : new LibrarySource(library);
    }
}

/// <summary>The reply to <c>ReadLibrary</c>: the library, or null when there is none; <paramref name="Unchanged"/>
/// when the worker's copy is current (the library's path then comes without its text).</summary>
internal sealed record LibrarySource(LuaLibrary? Library, bool Unchanged = false);

/// <summary>What a worker's <c>require</c>s cost over its pipe: library texts sent, and answers "unchanged".</summary>
internal sealed class LibraryTransfers
{
    private int _sources;
    private int _unchanged;

    public int Sources => Volatile.Read(ref _sources);

    public int Unchanged => Volatile.Read(ref _unchanged);

    internal void Count(object? reply)
    {
        if (reply is LibrarySource { Unchanged: true }) Interlocked.Increment(ref _unchanged);
        else if (reply is LibrarySource { Library: not null }) Interlocked.Increment(ref _sources);
    }
}
