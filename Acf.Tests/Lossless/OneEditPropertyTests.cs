namespace Acf.Tests.Lossless;

/// <summary>
/// The lossless property's second pass over every module and the whole corpus (issue 14): lay a real file on the
/// demo box, open every form that edits it, change one field a little (<see cref="OneEdit"/>) and save: the diff
/// between the file before and after must be confined to the lines that field owns (comments, order, unknown lines,
/// layout and line endings kept). An edit the module refuses (the changed value is not valid there) is skipped.
/// </summary>
public class OneEditPropertyTests
{
    public static TheoryData<string, string, string, string> Cases()
    {
        var rows = new TheoryData<string, string, string, string>();
        foreach (var (module, action, file) in LosslessCorpus.Cases())
            if (!LosslessPropertyTests.Acting.Contains($"{module}/{action}")) rows.Add(module, action, file.BoxPath, file.Variant);
        return rows;
    }

    /// <summary>Items of a file and fields of a form edited per case: enough to meet every field over the corpus.</summary>
    private const int MaxItems = 1, MaxEdits = 2;

    /// <summary>
    /// Lines a form writes as a whole, whichever of its fields changed: the DMVPN form needs bgpd and nhrpd on in
    /// frr's daemons file, so any save of it (over a file that had them off) turns them on.
    /// </summary>
    private static readonly Dictionary<string, Regex> FormOwned = new(StringComparer.Ordinal)
    {
        ["dmvpn/config/edit /etc/frr/daemons"] = new(@"^(bgpd|nhrpd)=(yes|no)\r?$"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task OneFieldEdit_CorpusFile_ChangesOnlyThatFieldsLines(string module, string action, string path, string variant)
    {
        var file = LosslessCorpus.Files.Single(f => f.BoxPath == path && f.Variant == variant);
        var original = File.ReadAllBytes(file.HostPath);
        using var host = LosslessPropertyTests.HostWith(path, original);
        var (controller, name) = (action.Split('/')[0], action.Split('/')[1]);
        var failures = new List<string>();
        // The variants of one path take turns over the form's fields, so the corpus as a whole edits each of them
        // while a file costs a few saves.
        var turn = LosslessCorpus.Files.Where(f => f.BoxPath == path).Select(f => f.Variant).ToList().IndexOf(variant);
        foreach (var query in LosslessPropertyTests.Queries(module, action, path, original).Take(MaxItems))
        {
            if (await LosslessPropertyTests.OnlyControlsServiceAsync(host, module, controller, name, query)) continue;
            var shown = await host.RunAsync(ModuleTestHost.Admin, module, controller, name, new ModuleInput(query));
            Assert.True(shown.Status == RunStatus.Ok, $"{module}/{action}: {shown.Error}");
            // A field holding the item's own key (the interface's or share's name) renames the item: not a one-value edit.
            var edits = OneEdit.EditsOf(shown.Entity!).Where(e => !query.Values.Any(v => v.Contains(e.Old))).ToList();
            foreach (var edit in Enumerable.Range(0, Math.Min(MaxEdits, edits.Count)).Select(k => edits[(turn * MaxEdits + k) % edits.Count]))
            {
                var where = $"{module}/{action}{LosslessPropertyTests.Describe(query)} on {path} ({variant}), {edit}";
                var outcome = await FormRoundTrip.PostBackAsync(host, ModuleTestHost.Admin, module, controller, name, query,
                    edit: (form, state) => OneEdit.Apply(form, state, edit));
                var after = File.ReadAllBytes(host.RootPath(path));
                if (outcome.Saved.Status == RunStatus.Ok && outcome.Saved.Entity!.Succeeded
                    && OneEdit.Violation(original, after, edit, FormOwned.GetValueOrDefault($"{module}/{action} {path}")) is { } violation)
                    failures.Add($"{where}: {violation}");
                // An edit under confirm-or-rollback is kept, so the next one is not refused as waiting; the file is
                // laid back for it.
                host.Guard.Keep(ModuleTestHost.Admin.Name);
                File.WriteAllBytes(host.RootPath(path), original);
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }
}
