namespace Acf.Web.Auth;

/// <summary>
/// <c>Acf:Auth:RequireSecondFactor</c>: <c>none</c>, <c>all</c>, or a comma-separated list of roles (<c>admin</c>,
/// <c>ADMIN,EXPERT</c>) whose users must have a second factor. Roles count as effective roles, so requiring it for
/// EDITOR also requires it for EXPERT and ADMIN. A user who must have one and has none can only reach /account.
/// </summary>
public sealed class SecondFactorPolicy(IOptions<AuthOptions> options, SecondFactorStore store)
{
    public bool Requires(AcfPrincipal user) => Requires(options.Value.RequireSecondFactor, user.EffectiveRoles);

    /// <summary>True when the policy requires a second factor and the user has none yet.</summary>
    public bool MustEnrol(AcfPrincipal user) => Requires(user) && !store.IsEnrolled(user.Name);

    public static bool Requires(string policy, IReadOnlySet<string> effectiveRoles)
    {
        var words = policy.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 1 && words[0].Equals("none", StringComparison.OrdinalIgnoreCase)) return false;
        if (words.Length == 1 && words[0].Equals("all", StringComparison.OrdinalIgnoreCase)) return true;
        return words.Any(role => effectiveRoles.Contains(role.ToUpperInvariant()));
    }

    /// <summary>A role name as the policy compares it, for the start-up check (<see cref="AcfRoles"/> are upper case).</summary>
    public const string Pattern = @"^\s*(none|all|[A-Za-z0-9_]+(\s*,\s*[A-Za-z0-9_]+)*)\s*$";
}
