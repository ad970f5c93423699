namespace Acf.Tests.Lossless;

/// <summary>
/// The lossless property over every module and the whole corpus (issue 14): lay a real file on the demo box, open
/// every form that edits it as the browser does (for each item it holds where the form edits one item), submit it
/// unchanged, and nothing may change: not a byte of the file, no write, no command in the audit.
/// </summary>
public partial class LosslessPropertyTests
{
    /// <summary>Actions that act rather than edit on submit (ifdown, delete, commit): only their GET is checked.</summary>
    internal static readonly HashSet<string> Acting = new(StringComparer.Ordinal)
    {
        "alpine-baselayout/interfaces/control", "alpine-baselayout/interfaces/delete", "alpine-conf/lbu/commit",
        "system/backup/download",
    };

    public static TheoryData<string, string, string, string> Unchanged()
    {
        var rows = new TheoryData<string, string, string, string>();
        foreach (var (module, action, file) in LosslessCorpus.Cases()) rows.Add(module, action, file.BoxPath, file.Variant);
        return rows;
    }

    [Theory]
    [MemberData(nameof(Unchanged))]
    public async Task UnchangedSave_CorpusFile_NoByteChangedNothingWrittenNothingRun(string module, string action, string path, string variant)
    {
        var failures = await UnchangedFailuresAsync(module, action, path, variant);

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    internal static async Task<List<string>> UnchangedFailuresAsync(string module, string action, string path, string variant)
    {
        var file = LosslessCorpus.Files.Single(f => f.BoxPath == path && f.Variant == variant);
        var original = File.ReadAllBytes(file.HostPath);
        using var host = HostWith(path, original);
        var (controller, name) = (action.Split('/')[0], action.Split('/')[1]);
        var failures = new List<string>();
        foreach (var query in Queries(module, action, path, original))
        {
            var where = $"{module}/{action}{Describe(query)} on {path} ({variant})";
            if (Acting.Contains($"{module}/{action}"))
            {
                var shown = await host.RunAsync(ModuleTestHost.Admin, module, controller, name, new ModuleInput(query));
                if (shown.Status != RunStatus.Ok) failures.Add($"{where}: the page failed: {shown.Error}");
            }
            else if (await OnlyControlsServiceAsync(host, module, controller, name, query))
            {
                // A status page whose only buttons start or stop the service has nothing to save: pressing one is an
                // action, not an unchanged save. Its read must still write nothing (checked below).
            }
            else
            {
                var outcome = await FormRoundTrip.PostBackAsync(host, ModuleTestHost.Admin, module, controller, name, query);
                if (outcome.Saved.Status != RunStatus.Ok) failures.Add($"{where}: the unchanged submit failed: {outcome.Saved.Error}");
                else if (outcome.Form.Options.Count > 0 && query.Count > 0 && outcome.Form.Errtxt is null && !outcome.Saved.Entity!.Succeeded)
                    failures.Add($"{where}: the unchanged submit was refused: {outcome.Saved.Entity.Errtxt} {FieldErrors(outcome.Saved.Entity)}");
                if (outcome.Submitted.Count > 0)
                    failures.Add($"{where}: the unchanged submit did {string.Join(", ", outcome.Submitted.Select(e => $"{e.Action} {e.Target}"))}");
            }
            if (!File.ReadAllBytes(host.RootPath(path)).AsSpan().SequenceEqual(original))
            {
                failures.Add($"{where}: the file changed: {FirstDifference(original, File.ReadAllBytes(host.RootPath(path)))}");
                File.WriteAllBytes(host.RootPath(path), original);
            }
        }
        if (host.Audit.ReadAll().FirstOrDefault(e => e.Action.StartsWith("write", StringComparison.Ordinal) || e.Action == "remove") is { } write)
            failures.Add($"{module}/{action} on {path} ({variant}): something wrote: {write.Action} {write.Target}");
        return failures;
    }

    private static readonly HashSet<string> ServiceControls = new(["Start", "Stop", "Restart", "Reload"], StringComparer.Ordinal);

    internal static async Task<bool> OnlyControlsServiceAsync(ModuleTestHost host, string module, string controller, string action,
        Dictionary<string, IReadOnlyList<string>> query)
    {
        var shown = await host.RunAsync(ModuleTestHost.Admin, module, controller, action, new ModuleInput(query));
        return shown.Entity is { Options.Count: > 0 } form && form.Options.All(o => ServiceControls.Contains(o.Value));
    }

    internal static ModuleTestHost HostWith(string path, byte[] bytes)
    {
        var host = new ModuleTestHost(new ModulesOptions(), copyRealModules: true);
        host.CopyDemoTree();
        host.WriteRootFile(path, "");
        File.WriteAllBytes(host.RootPath(path), bytes);
        return host;
    }

    /// <summary>The page's queries: one per item the file holds where the form edits one item, else none.</summary>
    internal static List<Dictionary<string, IReadOnlyList<string>>> Queries(string module, string action, string path, byte[] bytes)
    {
        var text = Encoding.Latin1.GetString(bytes); // names are ASCII; Latin-1 maps every byte, so nothing is lost here
        IEnumerable<Dictionary<string, IReadOnlyList<string>>> queries = $"{module}/{action}" switch
        {
            "alpine-baselayout/expert/edit" => [new() { ["file"] = [path] }],
            "alpine-baselayout/interfaces/edit" or "alpine-baselayout/interfaces/control" or "alpine-baselayout/interfaces/delete" =>
                IfacePattern().Matches(text).Select(m => m.Groups[2].Success
                    ? new Dictionary<string, IReadOnlyList<string>> { ["name"] = [m.Groups[1].Value], ["family"] = [m.Groups[2].Value] }
                    : new Dictionary<string, IReadOnlyList<string>> { ["name"] = [m.Groups[1].Value] }),
            "squid/acl/edit" => AclPattern().Matches(text).Select(m => m.Groups[1].Value).Distinct()
                .Select(acl => new Dictionary<string, IReadOnlyList<string>> { ["name"] = [acl] }),
            "samba/shares/edit" => SectionPattern().Matches(text).Select(m => m.Groups[1].Value.Trim())
                .Where(name => !name.Equals("global", StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(share => new Dictionary<string, IReadOnlyList<string>> { ["name"] = [share] }),
            "awall/policy/edit" => [new() { ["name"] = [Path.GetFileNameWithoutExtension(path)] }],
            "wireguard/interfaces/edit" when LosslessCorpus.IsWireguardConf(path) =>
                [new() { ["name"] = [Path.GetFileNameWithoutExtension(path)] }],
            "wireguard/peers/edit" when LosslessCorpus.IsWireguardConf(path) => PeerPattern().Matches(text).Select((_, n) =>
                new Dictionary<string, IReadOnlyList<string>> { ["interface"] = [Path.GetFileNameWithoutExtension(path)], ["peer"] = [$"{n + 1}"] }),
            "alpine-conf/lbu/diff" => [new() { ["path"] = [path] }],
            _ => [new()],
        };
        var list = queries.Take(MaxItemsPerFile).ToList();
        return list.Count > 0 ? list : [new()];
    }

    /// <summary>Items tried per file: enough to meet every stanza form of a file, few enough for the suite's time.</summary>
    private const int MaxItemsPerFile = 4;

    internal static string Describe(Dictionary<string, IReadOnlyList<string>> query) =>
        query.Count == 0 ? "" : "?" + string.Join("&", query.Select(q => $"{q.Key}={q.Value[0]}"));

    internal static string FieldErrors(CfeNode node) =>
        string.Join("; ", node.Children.SelectMany(c => c.Errtxt is null ? [FieldErrors(c)] : new[] { $"{c.Name}: {c.Errtxt}", FieldErrors(c) })
            .Where(e => e.Length > 0));

    internal static string FirstDifference(byte[] before, byte[] after)
    {
        var a = Encoding.Latin1.GetString(before).Split('\n');
        var b = Encoding.Latin1.GetString(after).Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var x = i < a.Length ? a[i] : "(end)";
            var y = i < b.Length ? b[i] : "(end)";
            if (x != y) return $"line {i + 1}: '{Escape(x)}' became '{Escape(y)}' ({before.Length} -> {after.Length} bytes)";
        }
        return $"{before.Length} -> {after.Length} bytes";
    }

    private static string Escape(string line) => line.Replace("\r", "\\r").Replace("\t", "\\t");

    [GeneratedRegex(@"^[ \t]*iface[ \t]+(\S+)(?:[ \t]+(inet6?|ipx|can|link)\b)?", RegexOptions.Multiline)]
    private static partial Regex IfacePattern();

    [GeneratedRegex(@"^[ \t]*acl[ \t]+(\S+)", RegexOptions.Multiline)]
    private static partial Regex AclPattern();

    [GeneratedRegex(@"^[ \t]*\[([^\]\r\n]+)\]", RegexOptions.Multiline)]
    private static partial Regex SectionPattern();

    [GeneratedRegex(@"^[ \t]*\[[ \t]*[Pp]eer[ \t]*\]", RegexOptions.Multiline)]
    private static partial Regex PeerPattern();
}
