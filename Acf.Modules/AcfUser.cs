using Acf.Modules.Catalog;

namespace Acf.Modules;

/// <summary>Who asks: the signed-in user's name and roles as stored in <c>/etc/acf/passwd</c>.</summary>
public sealed record AcfPrincipal(string Name, IReadOnlyList<string> Roles)
{
    /// <summary>The roles with the weaker built-in ones they include.</summary>
    public IReadOnlySet<string> EffectiveRoles { get; } = AcfRoles.Expand(Roles);
}
