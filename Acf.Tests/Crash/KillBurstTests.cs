using Xunit.Abstractions;

namespace Acf.Tests.Crash;

/// <summary>
/// The crash tier (issue 15), a kill from outside: two admins save two files as fast as the app answers, and the app is
/// killed (SIGKILL, as <c>kill -9</c> or the OOM killer) at a random moment of the burst, written to the test's output.
/// Not retried: whatever the moment, after the restart every file is its original or an audited version, every save
/// that was answered 200 is on record (no lost save), and every crash invariant holds.
/// </summary>
[Trait("Category", "Crash")]
public sealed class KillBurstTests(ITestOutputHelper output)
{
    private const string Hostname = "/etc/hostname";
    private const string Motd = "/etc/motd";

    [Fact]
    public async Task BurstOfSaves_KilledFromOutsideAtRandomMoment_NoTornFileNoLostSaveInvariantsHold()
    {
        using var folder = await CrashFolder.CopyAsync();
        var originals = new[] { (Hostname, folder.Read(Hostname)), (Motd, folder.Read(Motd)) };
        var answered = new List<(string Path, string Sha)>();
        var delay = Random.Shared.Next(300, 2500);
        using (var app = await AcfProcess.StartAsync(folder.DataPath))
        {
            using var hostnames = await app.LoggedInClientAsync();
            using var motds = await app.LoggedInClientAsync();
            var firstAnswer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var writers = new[]
            {
                SaveUntilKilledAsync(hostnames, Hostname, "/api/alpine-baselayout/hostname/edit",
                    n => ($"burst-{n}\n", JsonSerializer.Serialize(new { hostname = $"burst-{n}" }))),
                SaveUntilKilledAsync(motds, Motd, "/api/alpine-baselayout/expert/edit",
                    n => ($"Burst motd {n}\n", JsonSerializer.Serialize(new { file = Motd, path = Motd, content = $"Burst motd {n}\n", submit = "Save" }))),
            };
            await firstAnswer.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await Task.Delay(delay); // the random moment: not a wait for a result, the kill comes whatever is in flight
            app.KillNow();
            await Task.WhenAll(writers);
            // kill -9 of the app alone: its workers, busy with the saves, end on their own.
            Assert.NotEmpty(app.Children);
            Assert.Empty(await app.ChildrenAliveAfterAsync(TimeSpan.FromSeconds(15)));
            output.WriteLine($"killed {delay} ms after the first answer; saves answered 200: " +
                $"{answered.Count(a => a.Path == Hostname)} of {Hostname}, {answered.Count(a => a.Path == Motd)} of {Motd}");

            async Task SaveUntilKilledAsync(HttpClient client, string path, string url, Func<int, (string Content, string Json)> save)
            {
                for (var n = 1; ; n++)
                {
                    var (content, json) = save(n);
                    HttpResponseMessage response;
                    try
                    {
                        response = await client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        return; // the app is gone
                    }
                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"save {n} of {path}: {response.StatusCode}");
                    lock (answered) answered.Add((path, SystemBroker.Sha256(Encoding.UTF8.GetBytes(content))));
                    firstAnswer.TrySetResult();
                }
            }
        }

        using var restarted = await AcfProcess.StartAsync(folder.DataPath);

        folder.AssertInvariants($"killed {delay} ms into the burst", originals);
        Assert.NotEmpty(answered);
        foreach (var (path, sha) in answered)
            Assert.Contains(folder.Changes(path), c => c.Files![0].After == sha);
        using var probe = new HttpClient { BaseAddress = restarted.Address };
        Assert.True((await probe.GetAsync("/healthz")).IsSuccessStatusCode, "the app does not serve after the restart");
    }
}
