using Acf.Broker.Catalog;
using Acf.Broker;

namespace Acf.Modules.Isolation;

/// <summary>
/// What a worker's calls reach in the app, for one action: the broker (journalling under confirm-or-rollback), the
/// caller fixed by the app (user and module of the action it started), the libraries, the live output of apk, and
/// where the action's named steps go (<c>step</c> frames).
/// </summary>
public sealed record BrokerCallContext(ISystemBroker Broker, BrokerCaller Caller, ILuaLibraries Libraries, Action<string>? Output,
    Action<string>? Progress = null);

/// <summary>
/// The app's side of the broker protocol. A <c>call</c> frame names a request record by its wire name
/// (<see cref="BrokerRequest.WireName"/>) and carries the record as its body; the record is read strictly as that
/// type and sent through the broker, which answers it by type. The caller comes from <see cref="BrokerCallContext"/>,
/// so a worker can never act as another user or module, and every capability check stays in the broker. A new
/// broker call needs nothing here: its request record is known by its type.
/// </summary>
public static class BrokerDispatch
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
        // Login events are the host's too: a module must not fake or flood them (the broker refuses them as well).
        if (request is AuditEventRequest) throw new WorkerProtocolException("A module cannot record login events.");
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
    private static LibrarySource Library(BrokerCallContext context, LibraryRequest request) =>
        request.Module == context.Caller.Module
            ? new LibrarySource(context.Libraries.ReadLibrary(request))
            : throw new WorkerProtocolException("A worker asked for the libraries of another module.");
}

/// <summary>The reply to <c>ReadLibrary</c>: the library, or null when there is none.</summary>
public sealed record LibrarySource(LuaLibrary? Library);
