using Acf.Modules.Roles;

namespace Acf.Modules;

/// <summary>A module with the <c>controller/action</c> pairs one user may call.</summary>
public sealed record AvailableModule(ModuleManifest Module, IReadOnlyList<string> Actions);

/// <summary>
/// Who may call what: an action exists on this host when its module is shown here (its conditions hold) and its
/// manifest declares it; a user may call it when a manifest role or a role of <c>/etc/acf/roles</c> grants it. The
/// runner asks it first for every action (<see cref="ModuleRunner.RunAsync"/>), the menu and the API listing ask it
/// what to offer.
/// </summary>
public sealed class ModuleAccess
{
    private readonly ModuleCatalog _catalog;
    private readonly ModuleConditionsCheck _conditions;
    private readonly CustomRoles? _customRoles;

    /// <summary>Internal, as the runner's is: the runtime registers it (<c>AddAcfModules</c>) for the pages.</summary>
    /// <param name="customRoles">The admin's roles of <c>/etc/acf/roles</c>; without it only the manifests' roles count.</param>
    internal ModuleAccess(ModuleCatalog catalog, ModuleConditionsCheck conditions, CustomRoles? customRoles = null)
    {
        _catalog = catalog;
        _conditions = conditions;
        _customRoles = customRoles;
    }

    /// <summary>The module's manifest when the action exists on this host (declared, and the module available here), else null.</summary>
    public ModuleManifest? Find(string module, string controller, string action) =>
        _catalog.Find(module) is { } manifest && manifest.Actions.Contains($"{controller}/{action}") && _conditions.IsAvailable(manifest)
            ? manifest : null;

    /// <summary>
    /// True when the user may call the action: a manifest role grants it, or a role of <c>/etc/acf/roles</c> names
    /// it as <c>prefix/controller/action</c> (only actions the manifest declares can ever be granted).
    /// </summary>
    public bool IsAllowed(AcfPrincipal user, ModuleManifest module, string controller, string action) =>
        IsAllowed(user, module, $"{controller}/{action}", CustomGrants(user));

    /// <summary>True when the action exists on this host and the user may call it: what <see cref="ModuleRunner.RunAsync"/>
    /// checks first, for a caller that shares one run's result among users (the dashboard's live sample).</summary>
    public bool MayRun(AcfPrincipal user, string module, string controller, string action) =>
        Find(module, controller, action) is { } manifest && IsAllowed(user, manifest, controller, action);

    /// <summary>The modules shown on this host with the actions this user may call, for the menu and the API listing.</summary>
    public IReadOnlyList<AvailableModule> Available(AcfPrincipal user)
    {
        var grants = CustomGrants(user); // once per listing, not once per action
        return _catalog.Modules
            .Where(_conditions.IsAvailable)
            .Select(m => new AvailableModule(m, m.Actions.Where(a => IsAllowed(user, m, a, grants)).Order(StringComparer.Ordinal).ToList()))
            .Where(m => m.Actions.Count > 0)
            .OrderBy(m => m.Module.Prefix, StringComparer.Ordinal)
            .ToList();
    }

    private static bool IsAllowed(AcfPrincipal user, ModuleManifest module, string controllerAction, IReadOnlySet<string> grants) =>
        module.Allows(user.EffectiveRoles, controllerAction)
        || grants.Contains($"{module.Prefix}/{controllerAction}") && module.Actions.Contains(controllerAction, StringComparer.Ordinal);

    private IReadOnlySet<string> CustomGrants(AcfPrincipal user) =>
        _customRoles?.Grants(user.EffectiveRoles) ?? new HashSet<string>();
}
