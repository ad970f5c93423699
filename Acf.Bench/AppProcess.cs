using System.Diagnostics;
using System.Net;

namespace Acf.Bench;

/// <summary>One run of the published app in its own process, on loopback, with a data folder of its own.</summary>
internal sealed class AppProcess : IDisposable
{
    public const string Password = "bench-admin-pw";

    private readonly Process _process;

    private AppProcess(Process process, string baseUrl, TimeSpan startToLogin)
    {
        _process = process;
        BaseUrl = baseUrl;
        StartToLogin = startToLogin;
    }

    public string BaseUrl { get; }

    /// <summary>From starting the process to the first 200 on /login.</summary>
    public TimeSpan StartToLogin { get; }

    public int Id => _process.Id;

    /// <summary>
    /// Starts <c>dotnet exec [--runtimeconfig FILE] Acf.Web.dll</c> and polls /login until it answers 200. Fails after
    /// 60 s rather than waiting for ever.
    /// </summary>
    public static async Task<AppProcess> StartAsync(string appDir, string? runtimeConfig, string dataPath, int port,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = appDir, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("exec");
        if (runtimeConfig is not null)
        {
            start.ArgumentList.Add("--runtimeconfig");
            start.ArgumentList.Add(runtimeConfig);
        }
        start.ArgumentList.Add(Path.Combine(appDir, "Acf.Web.dll"));
        var url = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_URLS"] = url;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Acf__System__Mode"] = "demo";
        start.Environment["Acf__Data__Path"] = dataPath;
        start.Environment["Acf__Bootstrap__AdminPassword"] = Password;
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;

        var clock = Stopwatch.StartNew();
        var process = Process.Start(start)!;
        // Drain the app's output so that a chatty log can never block it on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) Console.Error.WriteLine("  app: " + line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited) throw new InvalidOperationException($"the app exited with {process.ExitCode} before answering");
            try
            {
                using var response = await http.GetAsync(url + "/login");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    await response.Content.ReadAsByteArrayAsync();
                    return new AppProcess(process, url, clock.Elapsed);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(10);
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException("the app did not answer /login within 60 s");
    }

    /// <summary>Resident memory of the app's process now (VmRSS), in bytes.</summary>
    public long Rss()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        throw new InvalidOperationException("no VmRSS");
    }

    /// <summary>SIGTERM (a graceful stop), SIGKILL after 10 s.</summary>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
            if (!_process.WaitForExit(10_000)) _process.Kill(entireProcessTree: true);
        }
        _process.WaitForExit();
        _process.Dispose();
    }
}
