namespace Acf.Modules;

/// <summary>Who asks: the signed-in user's name and roles as stored in <c>/etc/acf/passwd</c>.</summary>
public sealed record AcfPrincipal(string Name, IReadOnlyList<string> Roles)
{
    /// <summary>The roles with the weaker built-in ones they include.</summary>
    public IReadOnlySet<string> EffectiveRoles { get; } = AcfRoles.Expand(Roles);

    /// <summary>Where the request came from, when the web layer knows it (audit, and a firewall's lockout check).</summary>
    public RequestOrigin? Origin { get; init; }
}

/// <summary>
/// The admin's browser address and the local port of Acf it reached: what a firewall or interface change must not cut.
/// </summary>
public sealed record RequestOrigin(string? ClientAddress, int? LocalPort);
