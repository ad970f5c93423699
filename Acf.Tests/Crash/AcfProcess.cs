using Acf.Modules.Roles;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Acf.Broker;
using Acf.Tests.Modules;
using Acf.Tests.Web;
using Acf.Web.Auth;

namespace Acf.Tests.Crash;

/// <summary>
/// The real app as a child process (<c>dotnet Acf.Web.dll</c> from this build's output) on the demo host, with a data
/// folder of the test's own, configured through environment variables as an admin's service file would. Unlike
/// <see cref="AcfAppFactory"/> it can die for real: armed with <see cref="FaultPoint"/> it kills itself (SIGKILL) in
/// the broker's write path, and <see cref="KillNow"/> kills it from outside.
/// </summary>
public sealed partial class AcfProcess : IDisposable
{
    public const string AdminPassword = "crash-admin-password";

    /// <summary>The countdown of a guarded change in these runs: the shortest the options allow.</summary>
    public const int ConfirmSeconds = 10;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    /// <summary>At most two apps start at once (a start is the costly part of a run; the rest mostly waits).</summary>
    private static readonly SemaphoreSlim Starting = new(2);

    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<string> _output = new();

    private AcfProcess(string dataPath, string? fault, string? root)
    {
        DataPath = dataPath;
        DemoRoot = root ?? Path.Combine(dataPath, "demo-root");
        var info = new ProcessStartInfo("dotnet")
        {
            // The content root is the repository, where the defaults (appsettings.json beside Acf.sln) are found.
            WorkingDirectory = ModuleTestHost.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Acf.Web.dll"));
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["Acf__System__Mode"] = "demo";
        info.Environment["Acf__Data__Path"] = dataPath;
        if (root is not null) info.Environment["Acf__System__Root"] = root; // a disk of its own (FullDiskTests)
        info.Environment["Acf__System__DemoSource"] = Path.Combine(ModuleTestHost.RepositoryRoot, "demo");
        info.Environment["Acf__Modules__Path"] = Path.Combine(ModuleTestHost.RepositoryRoot, "modules-lua");
        info.Environment["Acf__Bootstrap__AdminPassword"] = AdminPassword;
        // Modules run on a thread of the app: the broker's write path under test is the same, and no worker process per
        // run makes a loaded 2-core machine start four more .NET processes (their own tests cover the workers).
        info.Environment["Acf__Modules__Isolation"] = "thread";
        info.Environment["Acf__Data__HistoryDepth"] = "1000"; // every version of a burst is kept, so each can be checked
        info.Environment["Acf__Apply__ConfirmSeconds"] = ConfirmSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (fault is null) info.Environment.Remove(FaultPoint.Variable);
        else info.Environment[FaultPoint.Variable] = fault;
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Take(e.Data);
        _process.ErrorDataReceived += (_, e) => Take(e.Data);
        _process.Exited += (_, _) => _listening.TrySetException(new InvalidOperationException("Acf exited before it listened:\n" + Output));
        _process.EnableRaisingEvents = true;
    }

    public string DataPath { get; }

    public string DemoRoot { get; }

    public Uri Address => _listening.Task.Result;

    /// <summary>Everything the app wrote to stdout and stderr so far (its log), for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the app on <paramref name="dataPath"/> (armed with <paramref name="fault"/> when given; with the
    /// demo root at <paramref name="root"/> when given, else inside the data folder) and waits until it listens:
    /// recovery at start and confirm-or-rollback's start have run by then.</summary>
    public static async Task<AcfProcess> StartAsync(string dataPath, string? fault = null, string? root = null)
    {
        var app = new AcfProcess(dataPath, fault, root);
        await Starting.WaitAsync();
        try
        {
            app._process.Start();
            app._process.BeginOutputReadLine();
            app._process.BeginErrorReadLine();
            await app._listening.Task.WaitAsync(StartTimeout);
        }
        catch
        {
            app.Dispose();
            throw;
        }
        finally
        {
            Starting.Release();
        }
        return app;
    }

    private void Take(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        if (ListeningLine().Match(line) is { Success: true } match) _listening.TrySetResult(new Uri(match.Groups[1].Value));
    }

    /// <summary>A client logged in as root through the real login form, with the antiforgery header for the API.</summary>
    public async Task<HttpClient> LoggedInClientAsync()
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = Address,
            Timeout = TimeSpan.FromSeconds(60),
        };
        var response = await AcfAppFactory.LoginAsync(client, UserStore.FirstAdmin, AdminPassword);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.EndsWith('/') == true,
            $"login failed: {response.StatusCode} {response.Headers.Location}");
        await AcfAppFactory.AddAntiforgeryHeaderAsync(client);
        return client;
    }

    /// <summary>Waits for the process to end (it kills itself at its fault point); false if it still runs after the timeout.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return _process.HasExited;
        }
    }

    /// <summary>SIGKILL from outside, as an operator's <c>kill -9</c> or the OOM killer: the app and its workers.</summary>
    public void KillNow()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(30_000);
    }

    public void Dispose()
    {
        try
        {
            KillNow();
        }
        catch (InvalidOperationException)
        {
            // never started
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
