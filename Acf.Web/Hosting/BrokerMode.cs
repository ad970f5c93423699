using Acf.Modules;
using Acf.Modules.Isolation;
using Acf.Modules.Privsep;

namespace Acf.Web.Hosting;

/// <summary>
/// The executable's third mode (<c>Acf.Web --acf-broker</c>, with <c>Acf:Broker:Process = separate</c>): the broker
/// alone, the only process that needs root. It reads the same configuration as the app (the repository's defaults,
/// <c>/etc/acf/appsettings.json</c>, the environment, its command line), loads the manifests itself and serves the
/// app over its socket. Started by the app (<c>--child</c>: it then ends when the app does) or by OpenRC's
/// <c>acf-broker</c>.
/// </summary>
public static class BrokerMode
{
    /// <summary>Runs the broker when <paramref name="args"/> ask for it and then ends the process; returns at once otherwise.</summary>
    public static void RunIfBroker(string[] args)
    {
        if (args.Length == 0 || args[0] != BrokerChild.Argument) return;
        var rest = args.Skip(1).ToList();
        if (rest.Remove(BrokerChild.ChildArgument)) ParentWatch.Start();
        var builder = Host.CreateApplicationBuilder([.. rest]);
        builder.AddAcfConfiguration();
        builder.AddAcfBrokerProcess();
        builder.Build().Run();
        Environment.Exit(0);
    }
}
