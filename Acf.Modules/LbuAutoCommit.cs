using Microsoft.Extensions.Options;

namespace Acf.Modules;

/// <summary>
/// <c>Acf:Lbu:AutoCommit</c>: every successful save is committed at once, by the host on the user's behalf. The runner
/// asks it after an unguarded save; a guarded change is not committed while it may still roll back.
/// </summary>
internal sealed class LbuAutoCommit(ISystemBroker broker, IOptions<LbuOptions> lbu, ILogger<LbuAutoCommit> logger)
{
    /// <summary>True when saves are committed (read each time: tests and the options may change it).</summary>
    public bool Enabled => lbu.Value.AutoCommit;

    /// <summary>Commits what the user's save in <paramref name="module"/> changed; a failure is logged, the save stands.</summary>
    public void Commit(AcfPrincipal user, string module)
    {
        var result = broker.Send(new BrokerCaller(user.Name, ModuleCatalog.Host.Prefix), new LbuChangeRequest(LbuChangeKind.Commit));
        if (!result.Ok || result.Value!.Status != 0)
            logger.LogError("lbu commit after a save in {Module} failed: {Error}", module,
                result.Error?.Message ?? result.Value!.Stderr);
    }
}
