using Acf.Tests.Localization;

namespace Acf.Tests.Modules;

/// <summary>
/// Issue 20: one click deleted a policy, removed an ACL, a static lease or an interface, or reverted lbu's archive,
/// with no question. Every button whose word destroys or replaces (Delete, Remove, Revert, Restore, Reboot, Shut
/// down, Upgrade all) on every form the modules show on the demo host asks first (its option's <c>confirm</c>).
/// </summary>
public class DestructiveButtonsTests
{
    private static readonly string[] Destructive = ["Delete", "Remove", "Revert", "Restore", "Reboot", "Shut down", "Upgrade all"];

    [Theory]
    [MemberData(nameof(ModuleCatalogTests.Modules), MemberType = typeof(ModuleCatalogTests))]
    public async Task EveryForm_DestructiveButton_AsksFirst(string module)
    {
        using var host = ModuleTestHost.Demo();
        _ = host.Runner;
        var silent = new SortedSet<string>(StringComparer.Ordinal);

        await ModuleStrings.WalkAsync(host, module, entity => Check(entity, silent));

        Assert.True(silent.Count == 0, $"{module}: buttons that destroy without asking: {string.Join("; ", silent)}");
    }

    private static void Check(CfeNode node, SortedSet<string> silent)
    {
        if (node.Type == CfeTypes.Form)
            foreach (var option in node.Options.Where(o => Destructive.Any(d => o.Value.StartsWith(d, StringComparison.Ordinal))))
                if (string.IsNullOrWhiteSpace(option.Confirm)) silent.Add($"{node.Label}: {option.Value}");
        foreach (var child in node.Children) Check(child, silent);
    }
}
