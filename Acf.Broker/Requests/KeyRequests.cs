namespace Acf.Broker;

/// <summary>
/// Writes a file that holds a new private key the broker makes: a Curve25519 key pair (WireGuard's, as
/// <c>wg genkey</c> makes it); the private key, in base64, takes the place of the one <see cref="KeyPlaceholder"/> in
/// <paramref name="Bytes"/>. The write is the ordinary atomic, conflict-checked, audited one, at mode 0600, and only to
/// a path the caller's manifest declares <c>secret</c> (so no history version and no audit line carries the key). The
/// answer is the public key alone: the private key never leaves the broker, so no Lua state, form, log or API answer
/// can hold it.
/// </summary>
public sealed record WriteNewKeyRequest(string Path, byte[] Bytes, string? ExpectedTag = null) : BrokerRequest<NewKeyResult>, IFileChange
{
    public const string KeyPlaceholder = "{private-key}";

    internal override BrokerResult<NewKeyResult> Handle(SystemBroker broker, BrokerCaller caller, Action<string>? output) =>
        broker.WriteNewKey(caller, this);
}

/// <summary>The write's result and the new key pair's public key (base64).</summary>
public sealed record NewKeyResult(WriteFileResult Write, string PublicKey);
