namespace Acf.Modules.Isolation;

/// <summary>
/// The broker as the sandbox sees it inside a worker: every request record goes out as a <c>call</c> frame under its
/// wire name, and the app's <c>reply</c> is read as the request's result type. The caller is not sent (the app knows
/// whose action this is), nor is the output callback (the app hands apk's lines to the page itself). A new broker
/// call needs nothing here.
/// </summary>
internal sealed class WorkerBroker(WorkerPipe pipe, HostInfo host, WorkerLibraries libraries) : ISystemBroker, ILuaLibraries
{
    public HostInfo Info => host;

    public BrokerResult<T> Send<T>(BrokerCaller caller, BrokerRequest<T> request, Action<string>? output = null) =>
        pipe.Call<BrokerResult<T>>(BrokerRequest.WireName(request), request);

    public LuaLibrary? ReadLibrary(LibraryRequest request) => libraries.Read(pipe, request);
}

/// <summary>
/// The libraries a worker was sent, kept for its later actions: a <c>require</c> still asks the app (which decides what
/// the module may load, and whether the file changed), naming the content hash of the copy held; the app answers
/// "unchanged" and the held copy (the same array, so its hash and its bytecode are found by identity) is used. A
/// worker is thus sent and compiles each version of a library once, not once per action.
/// </summary>
internal sealed class WorkerLibraries
{
    private const int MaxEntries = 256; // edited files leave no old entries here (a key holds one version), but cap it

    private readonly Dictionary<(string Module, string Name), (LuaLibrary Library, string Hash)> _held = [];

    public LuaLibrary? Read(WorkerPipe pipe, LibraryRequest request)
    {
        var key = (request.Module, request.Name);
        var held = _held.TryGetValue(key, out var entry) ? entry : default;
        var reply = pipe.Call<LibrarySource>(BrokerDispatch.ReadLibrary, request with { Known = held.Hash });
        // The same text may now be found at another path (a module's own copy of a shared library).
        if (reply.Unchanged && held.Library is not null && reply.Library is { } current)
            return current.Path == held.Library.Path ? held.Library : held.Library with { Path = current.Path };
        if (reply.Library is not { } library || reply.Unchanged)
        {
            _held.Remove(key);
            return null;
        }
        if (_held.Count >= MaxEntries) _held.Clear();
        _held[key] = (library, ContentHash.Of(library.Source));
        return library;
    }
}

/// <summary>The worker's end of the pipe: stdin carries the app's frames, stdout the worker's. One action at a time.</summary>
internal sealed class WorkerPipe(Stream fromApp, Stream toApp)
{
    public void Send(string kind, string? method, object? body)
    {
        toApp.Write(WorkerFrame.Encode(kind, method, body));
        toApp.Flush();
    }

    /// <summary>The next frame from the app; null when the app closed the pipe (it stopped, the worker should too).</summary>
    public WorkerFrame? Receive() => WorkerFrame.Read(fromApp);

    public T Call<T>(string method, object? request)
    {
        Send(WorkerFrame.Call, method, request);
        using var reply = Receive() ?? throw new EndOfStreamException("The app closed the pipe.");
        if (reply.Kind != WorkerFrame.Reply) throw new WorkerProtocolException($"Expected a reply, got {reply.Kind}.");
        return reply.Read<T>();
    }
}

/// <summary>The sandbox's log inside a worker: each line goes to the app, which writes it to its own log.</summary>
internal sealed class WorkerLogger(WorkerPipe pipe) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        try
        {
            var message = formatter(state, exception);
            if (exception is not null) message += ": " + exception.Message;
            pipe.Send(WorkerFrame.Log, null, new WorkerLogLine(logLevel, message));
        }
        catch (Exception)
        {
            // The sandbox logs from inside Lua callbacks, where nothing may escape; a broken pipe ends the worker
            // at its next frame anyway.
        }
    }
}
