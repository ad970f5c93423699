namespace Acf.Tests.Lossless;

/// <summary>The expert page keeps the file's bytes: CRLF, a missing final newline, Latin-1 (issue 14).</summary>
public class ExpertEditorTests
{
    private static readonly Dictionary<string, IReadOnlyList<string>> Hosts = new() { ["file"] = ["/etc/hosts"] };
    private static readonly Dictionary<string, IReadOnlyList<string>> Motd = new() { ["file"] = ["/etc/motd"] };

    private static ModuleTestHost HostWith(string path, byte[] bytes)
    {
        var host = new ModuleTestHost(new ModulesOptions(), copyRealModules: true);
        host.WriteRootFile(path, "");
        File.WriteAllBytes(host.RootPath(path), bytes);
        return host;
    }

    public static TheoryData<string> UnchangedFiles => new()
    {
        "127.0.0.1\tlocalhost\r\n::1\tlocalhost\r\n",
        "127.0.0.1\tlocalhost\n::1\tlocalhost",
        "127.0.0.1\tlocalhost\r\n::1\tlocalhost",
        "127.0.0.1\tlocalhost\n::1\tlocalhost\r\n",
    };

    [Theory]
    [MemberData(nameof(UnchangedFiles))]
    public async Task Save_Unchanged_SameBytesAndNothingWritten(string file)
    {
        using var host = HostWith("/etc/hosts", Encoding.UTF8.GetBytes(file));

        var outcome = await FormRoundTrip.PostBackAsync(host, ModuleTestHost.Admin, "alpine-baselayout", "expert", "edit", Hosts);

        Assert.True(outcome.Saved.Entity!.Succeeded, outcome.Saved.Entity.Errtxt);
        Assert.Equal(file, host.ReadRootFile("/etc/hosts"));
        Assert.Empty(outcome.Audit);
    }

    // A browser's text area hands every line back with LF: the unchanged save of a CRLF file as the browser sends it
    // (issue 14: it was rewritten to LF) must be the same bytes, and write nothing.
    [Theory]
    [InlineData("127.0.0.1\tlocalhost\r\n::1\tlocalhost\r\n")]
    [InlineData("127.0.0.1\tlocalhost\r\n::1\tlocalhost")]
    public async Task Save_UnchangedCrlfAsTheBrowserSendsIt_SameBytesAndNothingWritten(string file)
    {
        using var host = HostWith("/etc/hosts", Encoding.UTF8.GetBytes(file));

        var outcome = await FormRoundTrip.PostBackAsync(host, ModuleTestHost.Admin, "alpine-baselayout", "expert", "edit", Hosts,
            edit: (form, state) => state.SetText("content", form.Find("content")!.Text!.Replace("\r\n", "\n")));

        Assert.True(outcome.Saved.Entity!.Succeeded, outcome.Saved.Entity.Errtxt);
        Assert.Equal(file, host.ReadRootFile("/etc/hosts"));
        Assert.Empty(outcome.Audit);
    }

    [Fact]
    public async Task Save_CrlfFileEditedInBrowser_KeepsCrlfOnEveryLine()
    {
        // A browser's text area hands back LF only.
        var saved = await EditHostsAsync("127.0.0.1\tlocalhost\r\n::1\tlocalhost\r\n", "127.0.0.1\tlocalhost\n::1\tlocalhost\n192.0.2.1\tprinter\n");

        Assert.Equal("127.0.0.1\tlocalhost\r\n::1\tlocalhost\r\n192.0.2.1\tprinter\r\n", saved);
    }

    [Fact]
    public async Task Save_NoFinalNewlineEdited_AddsNone()
    {
        var saved = await EditHostsAsync("127.0.0.1\tlocalhost", "127.0.0.1\tlocalhost box");

        Assert.Equal("127.0.0.1\tlocalhost box", saved);
    }

    /// <summary>/etc/hosts as <paramref name="before"/>, edited in the browser to <paramref name="edited"/> and saved: the file after.</summary>
    private static async Task<string> EditHostsAsync(string before, string edited)
    {
        using var host = HostWith("/etc/hosts", Encoding.UTF8.GetBytes(before));
        await FormRoundTrip.PostBackAsync(host, ModuleTestHost.Admin, "alpine-baselayout", "expert", "edit", Hosts,
            edit: (_, state) => state.SetText("content", edited));
        return host.ReadRootFile("/etc/hosts");
    }

    [Fact]
    public async Task Latin1File_ShownAsLatin1_UnchangedSaveSameBytesAndEditKeepsLatin1()
    {
        var latin1 = Encoding.Latin1.GetBytes("Willkommen im B\u00fcro\n");
        using var host = HostWith("/etc/motd", latin1);

        var unchanged = await FormRoundTrip.PostBackAsync(host, ModuleTestHost.Admin, "alpine-baselayout", "expert", "edit", Motd);
        var afterUnchanged = File.ReadAllBytes(host.RootPath("/etc/motd"));
        await FormRoundTrip.PostBackAsync(host, ModuleTestHost.Admin, "alpine-baselayout", "expert", "edit", Motd,
            edit: (_, state) => state.SetText("content", "Willkommen im B\u00fcro, sch\u00f6n\n"));

        Assert.Equal("Willkommen im B\u00fcro\n", unchanged.Form.Find("content")!.Text);
        Assert.Equal(latin1, afterUnchanged);
        Assert.Empty(unchanged.Audit);
        Assert.Equal(Encoding.Latin1.GetBytes("Willkommen im B\u00fcro, sch\u00f6n\n"), File.ReadAllBytes(host.RootPath("/etc/motd")));
    }

    [Fact]
    public async Task Latin1File_CharacterBeyondLatin1_RefusedAndNothingWritten()
    {
        var latin1 = Encoding.Latin1.GetBytes("B\u00fcro\n");
        using var host = HostWith("/etc/motd", latin1);

        var outcome = await FormRoundTrip.PostBackAsync(host, ModuleTestHost.Admin, "alpine-baselayout", "expert", "edit", Motd,
            edit: (_, state) => state.SetText("content", "B\u00fcro \u20ac\n"));

        Assert.False(outcome.Saved.Entity!.Succeeded);
        Assert.Contains("Latin-1", outcome.Saved.Entity.Find("content")!.Errtxt);
        Assert.Equal(latin1, File.ReadAllBytes(host.RootPath("/etc/motd")));
    }
}
