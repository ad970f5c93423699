using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Acf.Broker;

/// <summary>
/// One call to the broker: a plain, serialisable record that names its answer (<see cref="BrokerRequest{TResult}"/>)
/// and the broker operation that answers it. Requests cross process boundaries (worker to app, later app to the
/// broker process) as their record, with their <see cref="WireName"/>; the caller never travels with them: the side
/// that receives a request knows whom it serves. Only this assembly defines requests (the operation a request runs
/// is internal), so the set of calls is closed and known: <see cref="Resolve"/>.
/// </summary>
public abstract record BrokerRequest
{
    /// <summary>
    /// Every request record. Named here, not found by reflection: the broker and the workers are compiled ahead of time
    /// (Acf.Helper), where nothing is found that was not named. A new request is added here and, with its result, to the
    /// pipes' JSON (Acf.Modules' <c>WireJson</c>); <c>BrokerDispatchTests</c> fails while either misses one.
    /// </summary>
    private static readonly Type[] Records =
    [
        typeof(ApkRequest), typeof(AuditAppendsRequest), typeof(AuditEventRequest), typeof(AuditQueryRequest),
        typeof(AuditVerifyRequest), typeof(ExecRequest), typeof(HistoryFilesRequest), typeof(HistoryRequest),
        typeof(LbuChangeRequest), typeof(LbuReadRequest), typeof(LinkRequest), typeof(ListDirectoryRequest),
        typeof(ListRunlevelsRequest), typeof(ListServicesRequest), typeof(MakeDirectoryRequest), typeof(ReadFileRequest),
        typeof(ReadPackagesRequest), typeof(RemoveFileRequest), typeof(RestoreFileRequest), typeof(ServiceControlRequest),
        typeof(ServiceRunlevelsRequest), typeof(StatFilesRequest), typeof(StatRequest), typeof(VersionRequest),
        typeof(WatchHostFilesRequest), typeof(WriteFileRequest), typeof(WriteNewKeyRequest),
    ];

    private static readonly FrozenDictionary<string, Type> ByName = Records.ToFrozenDictionary(NameOf, StringComparer.Ordinal);

    /// <summary>A request's name on the wire: its record's name without <c>Request</c> (<c>ReadFile</c>). A method,
    /// not a property, so that it is no member of the record's JSON.</summary>
    public static string WireName(BrokerRequest request) => NameOf(request.GetType());

    /// <summary>Every request's wire name and record type.</summary>
    public static IReadOnlyDictionary<string, Type> All => ByName;

    /// <summary>The record type of a wire name; false for a name that is no request (a forged or stale frame).</summary>
    public static bool Resolve(string name, [NotNullWhen(true)] out Type? type) => ByName.TryGetValue(name, out type);

    /// <summary>Sends this request through <paramref name="broker"/> without knowing its answer's type (a frame
    /// read from a pipe); the answer is the <see cref="BrokerResult{T}"/>, boxed.</summary>
    internal abstract object Relay(ISystemBroker broker, BrokerCaller caller, Action<string>? output);

    private static string NameOf(Type type) => type.Name.EndsWith("Request", StringComparison.Ordinal)
        ? type.Name[..^"Request".Length]
        : throw new InvalidOperationException($"A broker request's record is named ...Request: {type.Name}.");
}

/// <summary>A call whose answer is a <see cref="BrokerResult{TResult}"/>.</summary>
public abstract record BrokerRequest<TResult> : BrokerRequest
{
    /// <summary>The broker operation that answers this request, with the caller's manifest checked inside it.</summary>
    internal abstract BrokerResult<TResult> Handle(SystemBroker broker, BrokerCaller caller, Action<string>? output);

    internal sealed override object Relay(ISystemBroker broker, BrokerCaller caller, Action<string>? output) =>
        broker.Send(caller, this, output);
}
