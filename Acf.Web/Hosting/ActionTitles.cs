using Acf.Web.Localization;

namespace Acf.Web.Hosting;

/// <summary>
/// An action as an admin knows it from the menu ("Network: Interfaces, Add or edit") rather than its internal name
/// (<c>alpine-baselayout/interfaces/edit</c>), for the countdown banner and the dashboard, in the module's catalog
/// of the current language.
/// </summary>
public sealed class ActionTitles(ModuleCatalog catalog, ModuleTexts texts)
{
    /// <param name="action"><c>controller/action</c>.</param>
    public string Describe(string module, string action)
    {
        var manifest = catalog.Find(module);
        if (manifest is null) return $"{module}/{action}";
        var entry = manifest.Menu.FirstOrDefault(e => e.Action == action)
            // an action without its own menu entry (interfaces/delete) is known by its controller's page
            ?? manifest.Menu.FirstOrDefault(e => e.Action.Split('/')[0] == action.Split('/')[0]);
        var words = texts.For(module);
        var title = words.Translate(manifest.Title);
        if (entry is null) return title;
        // A group named like its module (WireGuard's "WireGuard") is said once: "WireGuard: Peers".
        var group = words.Translate(entry.Group);
        return group == title ? $"{title}: {words.Translate(entry.Tab)}" : $"{title}: {group}, {words.Translate(entry.Tab)}";
    }
}
