using Microsoft.Extensions.Options;
using System.ComponentModel.DataAnnotations;

namespace Acf.Modules.Privsep;

/// <summary>Where the broker runs (<c>Acf:Broker</c>): inside the app, or as its own root process behind a socket.</summary>
public sealed class BrokerProcessOptions
{
    public const string Section = "Acf:Broker";

    /// <summary>
    /// <c>separate</c> (the default): the broker is the executable's third mode (<c>--acf-broker</c>), the only root
    /// process; the app reaches it over <see cref="Socket"/> (and, with <see cref="StartChild"/>, starts it itself).
    /// <c>in-process</c>: the broker is a part of the app (one process, which then needs root on Alpine).
    /// </summary>
    [Required, RegularExpression("^(in-process|separate)$", ErrorMessage = "Acf:Broker:Process must be in-process or separate.")]
    public string Process { get; set; } = "separate";

    /// <summary>The broker's Unix socket; empty: <c>/run/acf/broker.sock</c> on Alpine, <c>&lt;Data&gt;/run/broker.sock</c> elsewhere.</summary>
    public string? Socket { get; set; }

    /// <summary>
    /// <c>separate</c> only. True: the app starts the broker as its own child (the demo host's one command), which ends
    /// with the app. False: the broker is a service of its own (OpenRC's <c>acf-broker</c>) that the app connects to.
    /// </summary>
    public bool StartChild { get; set; } = true;

    /// <summary>
    /// The broker's side: the user whose processes may connect (checked with SO_PEERCRED), and whose group the socket
    /// is given (<c>acf</c> on Alpine); empty: only the broker's own user (the demo host).
    /// </summary>
    [RegularExpression("^([a-z_][a-z0-9_-]{0,31})?$", ErrorMessage = "Acf:Broker:PeerUser must be a user name.")]
    public string PeerUser { get; set; } = "";

    public bool Separate => Process == "separate";

    /// <summary>The socket path for a host whose data folder is <paramref name="dataPath"/>.</summary>
    public string SocketPath(bool alpine, string dataPath) =>
        !string.IsNullOrWhiteSpace(Socket) ? Path.GetFullPath(Socket)
        : alpine ? "/run/acf/broker.sock"
        : Path.Combine(dataPath, "run", "broker.sock");
}

/// <summary>Checks BrokerProcessOptions's data annotations when the host starts, made when Acf is built (no reflection).</summary>
[OptionsValidator]
internal sealed partial class ValidateBrokerProcessOptions : IValidateOptions<BrokerProcessOptions>;
