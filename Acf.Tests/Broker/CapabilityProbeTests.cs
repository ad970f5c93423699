namespace Acf.Tests.Broker;

/// <summary>
/// The set-up of a test of the broker's own checks: a throwaway <see cref="ModuleTestHost"/> with a probe module (a
/// manifest, no code) that holds the capabilities under test, and its broker. A test class names the module and its
/// capabilities (the manifest's JSON) and writes the files it needs in its constructor.
/// </summary>
public abstract class CapabilityProbeTests : IDisposable
{
    protected CapabilityProbeTests(string module, string capabilities) => Host.AddCapabilityProbe(module, capabilities);

    protected ModuleTestHost Host { get; } = new();

    private protected ISystemBroker Broker => Host.ReadyBroker;

    public void Dispose()
    {
        Host.Dispose();
        GC.SuppressFinalize(this);
    }
}
