using System.Collections.Concurrent;
using System.Net.Sockets;

namespace Acf.Modules.Privsep;

/// <summary>
/// The broker as the app sees it with <c>Acf:Broker:Process = separate</c>: each request record goes over the broker's
/// socket under its wire name, with the caller the app decided (the signed-in user, the action's module); the reply
/// is read as the request's result type, a long command's lines arrive as <c>output</c> frames before it. One call
/// at a time per connection; concurrent calls (two users, a worker and a page) each take a connection of their own,
/// kept for the next call. A new broker call needs nothing here.
/// </summary>
internal sealed class BrokerClient : ISystemBroker, IRemoteBroker, IWatchesHostFiles, IDisposable
{
    private readonly string _socketPath;
    private readonly ConcurrentBag<NetworkStream> _idle = [];
    private readonly IDisposable? _child;

    private BrokerClient(string socketPath, NetworkStream first, BrokerHello hello, IDisposable? child)
    {
        _socketPath = socketPath;
        _idle.Add(first);
        Info = hello.Info;
        Chain = hello.Chain;
        _child = child;
        HostFiles = new HostStampWatch(this);
    }

    public HostInfo Info { get; }

    public AuditVerification? Chain { get; }

    /// <summary>The host's files watched in the broker, so that their stamps are not asked for on every request.</summary>
    public HostStampWatch HostFiles { get; }

    /// <summary>
    /// Connects to the broker at <paramref name="socketPath"/>, trying again until <paramref name="timeout"/> (a broker
    /// that is starting has no socket yet) unless <paramref name="gone"/> says it will never come (a child that exited).
    /// <paramref name="child"/> is ended with this client.
    /// </summary>
    public static BrokerClient Connect(string socketPath, TimeSpan timeout, Func<string?> gone, IDisposable? child = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                var (stream, hello) = Open(socketPath);
                return new BrokerClient(socketPath, stream, hello, child);
            }
            catch (Exception e) when (e is SocketException or IOException or WorkerProtocolException)
            {
                var reason = gone();
                if (reason is not null || DateTime.UtcNow > deadline)
                {
                    child?.Dispose();
                    throw new InvalidOperationException($"The broker at {socketPath} cannot be reached: {reason ?? e.Message}", e);
                }
                Thread.Sleep(100);
            }
        }
    }

    public BrokerResult<T> Send<T>(BrokerCaller caller, BrokerRequest<T> request, Action<string>? output = null)
    {
        NetworkStream stream;
        try
        {
            stream = _idle.TryTake(out var idle) ? idle : Open(_socketPath).Stream;
        }
        catch (Exception e) when (e is SocketException or IOException or WorkerProtocolException)
        {
            return BrokerResult<T>.Fail(BrokerErrorKind.Failed, "The broker cannot be reached: " + e.Message);
        }
        try
        {
            var body = new BrokerSocketCall(caller, JsonSerializer.SerializeToElement(request, WorkerFrame.Json.GetTypeInfo(request.GetType())));
            stream.Write(WorkerFrame.Encode(WorkerFrame.Call, BrokerRequest.WireName(request), body));
            while (true)
            {
                using var frame = WorkerFrame.Read(stream) ?? throw new IOException("The broker closed the connection.");
                if (frame.Kind == BrokerSocket.Output)
                {
                    output?.Invoke(frame.Read<string>());
                    continue;
                }
                if (frame.Kind != WorkerFrame.Reply) throw new WorkerProtocolException($"Expected a reply, got {WorkerFrame.Printable(frame.Kind)}.");
                var result = frame.Read<BrokerResult<T>>();
                _idle.Add(stream);
                return result;
            }
        }
        catch (Exception e) when (e is IOException or WorkerProtocolException or SocketException)
        {
            stream.Dispose(); // in an unknown state: the next call opens a fresh connection
            return BrokerResult<T>.Fail(BrokerErrorKind.Failed, $"{BrokerRequest.WireName(request)}: the broker failed: {e.Message}");
        }
    }

    public void Dispose()
    {
        HostFiles.Dispose();
        while (_idle.TryTake(out var stream)) stream.Dispose();
        _child?.Dispose();
    }

    /// <summary>A new connection to the broker, past its <c>ready</c> (the hello); a worker's connection starts so too.</summary>
    internal static (NetworkStream Stream, BrokerHello Hello) Open(string socketPath)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            using var ready = WorkerFrame.Read(stream) ?? throw new IOException("The broker closed the connection at once (is this user allowed?).");
            if (ready.Kind != WorkerFrame.Ready) throw new WorkerProtocolException($"The broker said {WorkerFrame.Printable(ready.Kind)} instead of ready.");
            return (stream, ready.Read<BrokerHello>());
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }
}
