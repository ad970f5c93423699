using Acf.Broker.Crypto;

namespace Acf.Broker;

/// <summary>Private keys made by the broker and written straight into their file (<see cref="WriteNewKeyRequest"/>).</summary>
internal abstract partial class SystemBroker
{
    internal BrokerResult<NewKeyResult> WriteNewKey(BrokerCaller caller, WriteNewKeyRequest request)
    {
        if (Resolve(caller, request.Path, write: true, out var path) is { } refusal) return Refuse<NewKeyResult>(refusal);
        if (catalog.FindCaller(caller.Module) is not { } manifest || !manifest.Capabilities.HoldsSecrets(path.Canonical))
            return BrokerResult<NewKeyResult>.Fail(BrokerErrorKind.Denied,
                $"Module '{caller.Module}' may not write a private key into {path.Requested}: its manifest does not declare it secret.");
        var placeholder = Encoding.ASCII.GetBytes(WriteNewKeyRequest.KeyPlaceholder);
        var at = request.Bytes.AsSpan().IndexOf(placeholder);
        if (at < 0 || request.Bytes.AsSpan(at + placeholder.Length).IndexOf(placeholder) >= 0)
            return BrokerResult<NewKeyResult>.Fail(BrokerErrorKind.Invalid,
                $"The new content names the private key's place exactly once as {WriteNewKeyRequest.KeyPlaceholder}.");
        var privateKey = Curve25519Keys.NewPrivateKey();
        var publicKey = Convert.ToBase64String(Curve25519Keys.PublicKeyOf(privateKey));
        var bytes = new byte[request.Bytes.Length - placeholder.Length + 44];
        request.Bytes.AsSpan(0, at).CopyTo(bytes);
        Encoding.ASCII.GetBytes(Convert.ToBase64String(privateKey)).CopyTo(bytes, at);
        request.Bytes.AsSpan(at + placeholder.Length).CopyTo(bytes.AsSpan(at + 44));
        Array.Clear(privateKey);
        var written = WriteFile(caller, new WriteFileRequest(request.Path, bytes, request.ExpectedTag, Secret: true));
        Array.Clear(bytes);
        return written.Ok
            ? BrokerResult<NewKeyResult>.Success(new NewKeyResult(written.Value!, publicKey))
            : new BrokerResult<NewKeyResult>(default, written.Error);
    }
}
