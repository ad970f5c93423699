using System.Net.Sockets;
using System.Text.Json;
using Acf.Broker;
using Acf.Modules.Isolation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Acf.Modules.Privsep;

/// <summary>
/// The broker process's door (<c>Acf.Web --acf-broker</c>): a Unix socket in a folder only the broker's user and the
/// app's group enter, and on each connection the peer's uid checked (SO_PEERCRED) against <c>Acf:Broker:PeerUser</c>
/// (or the broker's own uid). A connection says <c>ready</c> (<see cref="BrokerHello"/>) and then answers <c>call</c>
/// frames one at a time, each carrying the caller and a request record by its wire name, read strictly as that
/// record (the worker protocol's frames and rules). The broker behind it checks the module's manifest, writes the
/// audit log and the history as in one process; a frame outside the protocol ends the connection.
/// </summary>
internal sealed class BrokerServer(ISystemBroker broker, AuditChainStatus chain, SystemHost host,
    IOptions<BrokerProcessOptions> options, ILogger<BrokerServer> logger) : IHostedService, IDisposable
{
    /// <summary>More connections than this at once are refused: the app keeps a few, a flood is not served.</summary>
    private const int MaxConnections = 128;

    private Socket? _listener;
    private int _connections;

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
                using var frame = WorkerFrame.Read(stream);
                if (frame is null) return;
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

    private static (BrokerCaller Caller, BrokerRequest Request) Read(WorkerFrame frame)
    {
        var method = frame.Method ?? "";
        if (!BrokerRequest.Resolve(method, out var type))
            throw new WorkerProtocolException($"There is no broker method '{WorkerFrame.Printable(method)}'.");
        var call = frame.Read<BrokerSocketCall>();
        try
        {
            var request = call.Request.Deserialize(type, WorkerFrame.Json) as BrokerRequest
                ?? throw new WorkerProtocolException($"The {method} call has an empty request.");
            return (call.Caller, request);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new WorkerProtocolException($"The {method} request is malformed: {e.Message}");
        }
    }
}
