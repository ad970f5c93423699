using Acf.Web.Localization;

namespace Acf.Web.Hosting;

/// <summary>
/// The menu of the circuit's user, built once per circuit (scoped) and read by the side menu and by every module
/// page's tabs: building it asks every module's conditions, which once ran twice per page. A user whose name or roles
/// differ gets a new one (sessions end on a role change; this only guards against handing one user another's).
/// </summary>
public sealed class UserMenu(ModuleAccess access, ModuleTexts texts)
{
    private (string Name, string Roles, IReadOnlyList<AppMenuItem> Items)? _built;

    public IReadOnlyList<AppMenuItem> For(AcfPrincipal user)
    {
        var roles = string.Join(',', user.Roles);
        if (_built is { } built && built.Name == user.Name && built.Roles == roles) return built.Items;
        var items = texts.Translate(AppMenu.Build(access.Available(user)));
        _built = (user.Name, roles, items);
        return items;
    }
}
