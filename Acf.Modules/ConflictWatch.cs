namespace Acf.Modules;

/// <summary>
/// Notes whether a file change of one action was refused because the file changed since it was read (a lost update
/// prevented), so the API can answer 409 with a reason a client can act on instead of a plain 400: a module shows the
/// broker's message as its errtxt, which alone does not tell a conflict from a validation error.
/// </summary>
internal sealed class ConflictWatch(ISystemBroker inner) : ISystemBroker
{
    /// <summary>The path of the first write, restore or removal refused as a conflict, or null.</summary>
    public string? ConflictPath { get; private set; }

    public HostInfo Info => inner.Info;

    public BrokerResult<T> Send<T>(BrokerCaller caller, BrokerRequest<T> request, Action<string>? output = null)
    {
        var result = inner.Send(caller, request, output);
        if (result.Error is { Kind: BrokerErrorKind.Conflict } && request is IFileChange change) ConflictPath ??= change.Path;
        return result;
    }
}
