using Acf.Broker.Catalog;
using Acf.Modules.Lua;
using Acf.Broker;
using Acf.Broker.Apk;
using Acf.Broker.OpenRc;
using Microsoft.Extensions.Logging;

namespace Acf.Modules.Isolation;

/// <summary>
/// The broker as the sandbox sees it inside a worker: each method sends its request record as a <c>call</c> frame
/// and waits for the app's <c>reply</c>. The caller argument is not sent (the app knows whose action this is), nor
/// is the progress callback (the app hands apk's lines to the page itself). A new broker method is one line here,
/// and the compiler points at this class when <see cref="ISystemBroker"/> grows.
/// </summary>
internal sealed class WorkerBroker(WorkerPipe pipe, HostInfo host) : ISystemBroker, ILuaLibraries
{
    public HostInfo Info => host;

    public BrokerResult<FileContent> ReadFile(BrokerCaller caller, ReadFileRequest request) => pipe.Call<BrokerResult<FileContent>>(nameof(ReadFile), request);

    public BrokerResult<WriteFileResult> WriteFile(BrokerCaller caller, WriteFileRequest request) => pipe.Call<BrokerResult<WriteFileResult>>(nameof(WriteFile), request);

    public BrokerResult<IReadOnlyList<DirectoryEntry>> ListDirectory(BrokerCaller caller, ListDirectoryRequest request) => pipe.Call<BrokerResult<IReadOnlyList<DirectoryEntry>>>(nameof(ListDirectory), request);

    public BrokerResult<FileStatus> Stat(BrokerCaller caller, StatRequest request) => pipe.Call<BrokerResult<FileStatus>>(nameof(Stat), request);

    public BrokerResult<ExecResult> Exec(BrokerCaller caller, ExecRequest request) => pipe.Call<BrokerResult<ExecResult>>(nameof(Exec), request);

    public BrokerResult<IReadOnlyList<ServiceInfo>> ListServices(BrokerCaller caller) => pipe.Call<BrokerResult<IReadOnlyList<ServiceInfo>>>(nameof(ListServices), null);

    public BrokerResult<IReadOnlyList<string>> ListRunlevels(BrokerCaller caller) => pipe.Call<BrokerResult<IReadOnlyList<string>>>(nameof(ListRunlevels), null);

    public BrokerResult<ExecResult> ControlService(BrokerCaller caller, ServiceControlRequest request) => pipe.Call<BrokerResult<ExecResult>>(nameof(ControlService), request);

    public BrokerResult<ExecResult> SetServiceRunlevels(BrokerCaller caller, ServiceRunlevelsRequest request) => pipe.Call<BrokerResult<ExecResult>>(nameof(SetServiceRunlevels), request);

    public BrokerResult<ApkState> ReadPackages(BrokerCaller caller) => pipe.Call<BrokerResult<ApkState>>(nameof(ReadPackages), null);

    public BrokerResult<ExecResult> RunApk(BrokerCaller caller, ApkRequest request, Action<string>? progress = null) => pipe.Call<BrokerResult<ExecResult>>(nameof(RunApk), request);

    public BrokerResult<LbuReport> ReadLbu(BrokerCaller caller, LbuReadRequest request) => pipe.Call<BrokerResult<LbuReport>>(nameof(ReadLbu), request);

    public BrokerResult<ExecResult> ChangeLbu(BrokerCaller caller, LbuChangeRequest request) => pipe.Call<BrokerResult<ExecResult>>(nameof(ChangeLbu), request);

    public BrokerResult<WriteFileResult> RemoveFile(BrokerCaller caller, RemoveFileRequest request) => pipe.Call<BrokerResult<WriteFileResult>>(nameof(RemoveFile), request);

    public BrokerResult<ExecResult> SetAwallPolicy(BrokerCaller caller, AwallPolicyRequest request) => pipe.Call<BrokerResult<ExecResult>>(nameof(SetAwallPolicy), request);

    public BrokerResult<IReadOnlyList<FileVersion>> ListHistory(BrokerCaller caller, HistoryRequest request) => pipe.Call<BrokerResult<IReadOnlyList<FileVersion>>>(nameof(ListHistory), request);

    public BrokerResult<FileContent> ReadVersion(BrokerCaller caller, VersionRequest request) => pipe.Call<BrokerResult<FileContent>>(nameof(ReadVersion), request);

    public BrokerResult<WriteFileResult> RestoreFile(BrokerCaller caller, RestoreFileRequest request) => pipe.Call<BrokerResult<WriteFileResult>>(nameof(RestoreFile), request);

    public LuaLibrary? ReadLibrary(LibraryRequest request) => pipe.Call<LibrarySource>(nameof(ReadLibrary), request).Library;
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
