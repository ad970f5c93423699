using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Acf.Modules.Privsep;

/// <summary>
/// The broker process's door (<c>Acf.Web --acf-broker</c>): a Unix socket in a folder only the broker's user and the
/// app's group enter, and on each connection the peer's uid checked (SO_PEERCRED) against <c>Acf:Broker:PeerUser</c>
/// (or the broker's own uid). A connection says <c>ready</c> (<see cref="BrokerHello"/>) and then answers <c>call</c>
/// frames one at a time, each carrying the caller and a request record by its wire name, read strictly as that
/// record (the worker protocol's frames and rules). The broker behind it checks the module's manifest, writes the
/// audit log and the history as in one process; a frame outside the protocol ends the connection. A call that
/// allocated <see cref="BurstCallBytes"/> or more is activity for the broker's <see cref="IdleMemoryTrim"/>.
/// </summary>
internal sealed class BrokerServer(ISystemBroker broker, AuditChainStatus chain, SystemHost host,
    IOptions<BrokerProcessOptions> options, IOptions<ModulesOptions> modules, ILogger<BrokerServer> logger,
    IdleMemoryTrim trim) : IHostedService, IDisposable
{
    /// <summary>More connections than this at once are refused: the app keeps a few, a flood is not served.</summary>
    private const int MaxConnections = 128;

    /// <summary>
    /// A call that allocated this much is activity for the broker's <see cref="IdleMemoryTrim"/>: the trim follows the
    /// first quiet period after it. Smaller calls leave nothing a collection would give back, and an open dashboard
    /// reads five files of /proc through the broker every 2 s: were they activity, the broker would never be quiet
    /// while one is open, and would keep what a burst before it took.
    /// </summary>
    internal const long BurstCallBytes = 256 * 1024;

    private Socket? _listener;
    private int _connections;
    private int _workers;

    /// <summary>The workers this broker relays at most at once, for every connection together (one per connection):
    /// the app's pool and its replacements of killed workers, not a flood.</summary>
    public int MaxWorkers => (modules.Value.Workers * 2) + 2;

    public string SocketPath { get; } = options.Value.SocketPath(!host.IsDemo, host.DataPath);

    /// <summary>The uid whose processes may connect.</summary>
    public uint AllowedUid { get; } = string.IsNullOrEmpty(options.Value.PeerUser)
        ? UnixFile.EffectiveUser() ?? 0
        : BrokerSocket.FindUser(options.Value.PeerUser)?.Uid
            ?? throw new InvalidOperationException($"Acf:Broker:PeerUser '{options.Value.PeerUser}' is not in /etc/passwd.");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var peer = string.IsNullOrEmpty(options.Value.PeerUser) ? null : BrokerSocket.FindUser(options.Value.PeerUser);
        BrokerSocket.PrepareFolder(SocketPath, peer);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        BrokerSocket.ProtectSocket(SocketPath, peer);
        listener.Listen(16);
        _listener = listener;
        new Thread(() => Accept(listener)) { IsBackground = true, Name = "acf broker accept" }.Start();
        logger.LogInformation("The broker serves {Socket} for uid {Uid}", SocketPath, AllowedUid);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _listener?.Dispose();
        _listener = null;
    }

    private void Accept(Socket listener)
    {
        while (true)
        {
            Socket connection;
            try
            {
                connection = listener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return; // stopped
            }
            if (Interlocked.Increment(ref _connections) > MaxConnections)
            {
                Interlocked.Decrement(ref _connections);
                logger.LogWarning("A connection to the broker was refused: {Max} are open", MaxConnections);
                connection.Dispose();
                continue;
            }
            new Thread(() =>
            {
                try
                {
                    Serve(connection);
                }
                finally
                {
                    Interlocked.Decrement(ref _connections);
                }
            }) { IsBackground = true, Name = "acf broker connection" }.Start();
        }
    }

    private void Serve(Socket connection)
    {
        using var stream = new NetworkStream(connection, ownsSocket: true);
        var (pid, uid, _) = BrokerSocket.PeerCredentials(connection);
        if (uid != AllowedUid)
        {
            logger.LogWarning("The broker refused process {Pid} of uid {Uid}: only uid {Allowed} may connect", pid, uid, AllowedUid);
            return;
        }
        var gate = new Lock();
        void Send(string kind, object? body)
        {
            var bytes = WorkerFrame.Encode(kind, null, body);
            lock (gate) stream.Write(bytes);
        }
        try
        {
            Send(WorkerFrame.Ready, new BrokerHello(broker.Info, chain.Last));
            while (true)
            {
                var allocated = GC.GetAllocatedBytesForCurrentThread(); // this call's frame, work and answer
                using var frame = WorkerFrame.Read(stream);
                if (frame is null) return;
                if (frame.Kind == BrokerSocket.Worker)
                {
                    // The app only asks: the user and the executable are the broker's, so the frame carries nothing.
                    if (frame.Body.ValueKind != JsonValueKind.Null || frame.Method is not null)
                        throw new WorkerProtocolException("A worker frame carries nothing.");
                    RelayWorker(connection, stream, pid, Send);
                    return;
                }
                if (frame.Kind != WorkerFrame.Call) throw new WorkerProtocolException($"Expected a call, got {WorkerFrame.Printable(frame.Kind)}.");
                var (caller, request) = Read(frame);
                object answer;
                try
                {
                    answer = request.Relay(broker, caller, line => Send(BrokerSocket.Output, line));
                }
                catch (Exception e)
                {
                    answer = BrokerResult<object>.Fail(BrokerErrorKind.Failed, $"{frame.Method}: {e.Message}");
                }
                Send(WorkerFrame.Reply, answer);
                if (GC.GetAllocatedBytesForCurrentThread() - allocated >= BurstCallBytes) trim.Touch();
            }
        }
        catch (WorkerProtocolException e)
        {
            logger.LogWarning("The broker closed the connection of process {Pid}: {Error}", pid, e.Message);
        }
        catch (IOException)
        {
            // the app went away
        }
    }

    /// <summary>
    /// A <c>worker</c> frame (an unprivileged app cannot start or kill a process of <c>Acf:Modules:WorkerUser</c>):
    /// starts one worker as that user, the broker's own setting, never root (an empty setting is refused: the worker
    /// would be root), with the app's own launch (<see cref="WorkerProcess.StartProcess"/>), answers its pid and then
    /// relays the connection to its stdin and its stdout to the connection; its stderr goes to the broker's log. The
    /// connection closing kills the worker, the worker ending closes the connection; it is reaped either way.
    /// </summary>
    private void RelayWorker(Socket connection, NetworkStream stream, int peer, Action<string, object?> send)
    {
        var user = modules.Value.WorkerUser;
        var ids = string.IsNullOrEmpty(user) ? null : BrokerSocket.FindUser(user);
        if (ids is not { Uid: not 0, Gid: not 0 } worker)
        {
            logger.LogError("The broker refused to start a worker for process {Pid} and closed its connection: {Reason}", peer,
                string.IsNullOrEmpty(user) ? "Acf:Modules:WorkerUser is empty in the broker's settings, and the broker starts no worker as root"
                : ids is null ? $"Acf:Modules:WorkerUser '{user}' is not in /etc/passwd"
                : $"Acf:Modules:WorkerUser '{user}' is root or has root's group");
            return;
        }
        if (Interlocked.Increment(ref _workers) > MaxWorkers)
        {
            Interlocked.Decrement(ref _workers);
            logger.LogWarning("The broker refused a worker to process {Pid}: {Max} run already", peer, MaxWorkers);
            return;
        }
        Process? process = null;
        try
        {
            process = WorkerProcess.StartProcess(WorkerLaunch.Default(worker.Uid, worker.Gid), logger);
            var started = process;
            send(BrokerSocket.Worker, new BrokerWorkerStarted(started.Id));
            logger.LogDebug("The broker started worker {Worker} as {User} for process {Pid}", started.Id, user, peer);
            var toWorker = new Thread(() =>
            {
                try
                {
                    stream.CopyTo(started.StandardInput.BaseStream);
                }
                catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
                {
                    // the worker or the app went away
                }
                Kill(started); // the app closed its connection (or it failed): the worker ends with it
            }) { IsBackground = true, Name = "acf broker worker stdin" };
            toWorker.Start();
            try
            {
                started.StandardOutput.BaseStream.CopyTo(stream);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                // the app went away
            }
            // The worker's stdout ended (it exited) or the app's side failed: both ends close.
            Kill(started);
            try
            {
                connection.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // already closed
            }
            toWorker.Join(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            logger.LogError("The broker could not start a worker for process {Pid}: {Error}", peer, e.Message);
        }
        finally
        {
            if (process is not null)
            {
                Kill(process);
                process.WaitForExit(5000); // reaped: no zombie is left behind
                process.Dispose();
            }
            Interlocked.Decrement(ref _workers);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill();
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
    }

    private static (BrokerCaller Caller, BrokerRequest Request) Read(WorkerFrame frame)
    {
        var method = frame.Method ?? "";
        if (!BrokerRequest.Resolve(method, out var type))
            throw new WorkerProtocolException($"There is no broker method '{WorkerFrame.Printable(method)}'.");
        var call = frame.Read<BrokerSocketCall>();
        try
        {
            var request = call.Request.Deserialize(WorkerFrame.Json.GetTypeInfo(type)) as BrokerRequest
                ?? throw new WorkerProtocolException($"The {method} call has an empty request.");
            return (call.Caller, request);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new WorkerProtocolException($"The {method} request is malformed: {e.Message}");
        }
    }
}
