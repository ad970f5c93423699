namespace Acf.Tests.Crash;

/// <summary>
/// The crash tier (issue 15), full disks for real: a small tmpfs, filled with a filler file, under the real app (a child
/// process, as in the other crash tests). (a) The data folder (history, intents, audit) is full: the save answers why,
/// the config file is untouched byte for byte, no empty history version, no temp file, and the app goes on serving.
/// (b) The disk of <c>/etc</c> is full: no torn file, no temp file, no audit "write" for a write that did not happen.
/// (c) The same under confirm-or-rollback: no countdown is left pending for a write that failed.
/// </summary>
[Trait("Category", "Crash")]
public sealed class FullDiskTests
{
    private const string Hostname = "/etc/hostname";

    /// <summary>The tmpfs size: the demo's /etc (about 330 KiB) fits with room to spare, and filling it is quick.</summary>
    private const int DiskKib = 2048;

    [RootFact]
    public async Task DataDiskFull_HostnameSave_ClearErrorFileUnchangedNoVersionNoTempStillServing()
    {
        using var run = await FullDiskRun.StartAsync(fullData: true);
        var original = run.FillAfterReading(Hostname);

        var (status, body) = await run.SaveHostnameAsync("fullbox");

        Assert.True(status == HttpStatusCode.BadRequest && body.Contains("No space left on device") && body.Contains("Nothing was changed"),
            $"no clear refusal: {(int)status} {body}");
        AssertNothingWritten(run, Hostname, original);
        Assert.Empty(run.Folder.History(Hostname));
        Assert.Contains(Encoding.UTF8.GetString(original).Trim(), await run.ReadHostnameAsync());

        // Room again: the next save goes through, so nothing was left half-done by the refused one.
        File.Delete(Path.Combine(run.Disk.Path, "zz-filler.bin"));
        var (again, answer) = await run.SaveHostnameAsync("roomybox");
        Assert.True(again == HttpStatusCode.OK, $"{(int)again} {answer}");
        Assert.Equal("roomybox\n", Encoding.UTF8.GetString(run.Folder.Read(Hostname)));
        run.Folder.AssertInvariants("data disk full, then freed", (Hostname, original));
    }

    [RootFact]
    public async Task ConfigDiskFull_HostnameSave_ClearErrorNoTornFileNoTempNoAuditedWrite()
    {
        using var run = await FullDiskRun.StartAsync(fullData: false);
        var original = run.FillAfterReading(Hostname);

        var (status, body) = await run.SaveHostnameAsync("fullbox");

        Assert.True(status == HttpStatusCode.BadRequest && body.Contains("No space left on device"), $"no clear refusal: {(int)status} {body}");
        AssertNothingWritten(run, Hostname, original);
        Assert.Empty(run.Folder.History(Hostname));
        run.Folder.AssertInvariants("/etc full", (Hostname, original));
        Assert.Contains(Encoding.UTF8.GetString(original).Trim(), await run.ReadHostnameAsync());
    }

    [RootFact]
    public async Task ConfigDiskFull_GuardedDnsSave_ClearErrorNoPendingCountdownFileUnchanged()
    {
        using var run = await FullDiskRun.StartAsync(fullData: false);
        var original = run.FillAfterReading(GuardedCrashTests.ResolvConf);

        using var response = await run.Client.PostAsync("/api/alpine-baselayout/dns/edit", new StringContent(
            """{"nameservers":["203.0.113.9"],"search":["full.example"]}""", Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest && body.Contains("No space left on device"),
            $"no clear refusal: {(int)response.StatusCode} {body}");
        AssertNothingWritten(run, GuardedCrashTests.ResolvConf, original);
        Assert.False(File.Exists(run.Folder.PendingApplyPath), "an undo record (countdown) is left for a write that failed");
        Assert.Contains("\"pending\":false", await run.Client.GetStringAsync("/api/apply"));
        run.Folder.AssertInvariants("/etc full under a countdown", (GuardedCrashTests.ResolvConf, original));
    }

    /// <summary>What a save refused for want of room leaves: the file as it was, no change recorded, and no temp file
    /// or intent while the app still runs.</summary>
    private static void AssertNothingWritten(FullDiskRun run, string path, byte[] original)
    {
        Assert.Equal(original, run.Folder.Read(path));
        Assert.Empty(run.Folder.Changes(path));
        run.Folder.AssertNoTempOrIntent("while the app still runs (no recovery cleaned up)");
    }

    /// <summary>
    /// One run: a tmpfs at the data folder (<paramref name="fullData"/>) or at the demo root's <c>/etc</c>, mounted
    /// before the app starts, the set-up data copied in, the app started on it and an admin logged in. Dispose stops the
    /// app, then unmounts (lazily if still busy), then removes the folders, whatever the test's outcome.
    /// </summary>
    private sealed class FullDiskRun : IDisposable
    {
        private Tmpfs? _disk;
        private CrashFolder? _folder;
        private AcfProcess? _app;
        private HttpClient? _client;
        private string _top = "";

        public Tmpfs Disk => _disk!;

        public CrashFolder Folder => _folder!;

        public HttpClient Client => _client!;

        public static async Task<FullDiskRun> StartAsync(bool fullData)
        {
            var run = new FullDiskRun();
            try
            {
                run._top = Directory.CreateTempSubdirectory("acf-fulldisk-").FullName;
                var data = Path.Combine(run._top, "data");
                var root = Path.Combine(run._top, "root");
                Directory.CreateDirectory(data);
                run._disk = Tmpfs.Mount(fullData ? data : Path.Combine(root, "etc"), DiskKib);
                run._folder = await CrashFolder.CopyAsync(run._top, data, root);
                run._app = await AcfProcess.StartAsync(data, root: root);
                run._client = await run._app.LoggedInClientAsync();
                return run;
            }
            catch
            {
                run.Dispose();
                throw;
            }
        }

        /// <summary>Reads <paramref name="path"/>'s bytes, which a refused save must leave, then fills the disk under
        /// test until not one more byte goes in.</summary>
        public byte[] FillAfterReading(string path)
        {
            var original = Folder.Read(path);
            Disk.Fill();
            Assert.True(Disk.IsFull(), $"{Disk.Path} still takes a byte after the filler");
            return original;
        }

        public async Task<(HttpStatusCode Status, string Body)> SaveHostnameAsync(string name)
        {
            using var response = await Client.PostAsync("/api/alpine-baselayout/hostname/edit",
                new StringContent($$"""{"hostname":"{{name}}"}""", Encoding.UTF8, "application/json"));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        /// <summary>A read after the refusal: the app still serves.</summary>
        public async Task<string> ReadHostnameAsync()
        {
            using var response = await Client.GetAsync("/api/alpine-baselayout/hostname/read");
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"the read after the refusal failed: {(int)response.StatusCode} {body}");
            return body;
        }

        public void Dispose()
        {
            _client?.Dispose();
            _app?.Dispose();
            _disk?.Dispose();
            if (_folder is not null) _folder.Dispose();
            else if (_top.Length > 0) Directory.Delete(_top, recursive: true);
        }
    }
}
