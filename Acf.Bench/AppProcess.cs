namespace Acf.Bench;

/// <summary>Memory of a process tree in bytes: resident, proportional (shared pages split among sharers), private.</summary>
internal sealed record MemoryUse(long Rss, long Pss, long Private, int Processes, int OtherDotnet)
{
    /// <summary>Private_Dirty: the heaps and the JIT's code, which no other process shares whatever else runs (the
    /// clean private pages of the runtime's files become shared, and PSS smaller, while another .NET process maps them).</summary>
    public long Dirty { get; init; }
}

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
    public static Task<AppProcess> StartAsync(string appDir, string? runtimeConfig, string dataPath, int port,
        IReadOnlyDictionary<string, string>? environment = null) =>
        StartDllAsync(appDir, "Acf.Web.dll", runtimeConfig, port, new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["Acf__System__Mode"] = "demo",
            ["Acf__Data__Path"] = dataPath,
            ["Acf__Bootstrap__AdminPassword"] = Password,
            // Workers stop after this much idle (120 s by default): short here, so that the idle reading is the app
            // at rest without waiting two minutes; under load they never idle that long.
            // The load runs send up to 64 requests at once as one user; the app queues 32 of one user's actions
            // beyond the 2 it runs and answers the rest "busy" (429), a flood guard a throughput run would only trip.
            ["Acf__Modules__ActionsQueuedPerUser"] = "256",
            ["Acf__Modules__WorkerIdleSeconds"] = Bench.WorkerIdleSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    /// <summary>Starts any published ASP.NET app (<paramref name="dll"/> in <paramref name="appDir"/>) the same way.</summary>
    public static async Task<AppProcess> StartDllAsync(string appDir, string dll, string? runtimeConfig, int port,
        IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = appDir, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("exec");
        if (runtimeConfig is not null)
        {
            start.ArgumentList.Add("--runtimeconfig");
            start.ArgumentList.Add(runtimeConfig);
        }
        start.ArgumentList.Add(Path.Combine(appDir, dll));
        var url = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_URLS"] = url;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment) start.Environment[key] = value;

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

    /// <summary>CPU time of the app and its module workers (the Lua work runs there), so far: each one's own (utime,
    /// stime) and that of its children that ended (cutime, cstime), so that a worker stopped during a run (idle, or
    /// killed) still counts; without them the sum fell when one went and a row could read negative.</summary>
    public TimeSpan Cpu()
    {
        long ticks = 0;
        foreach (var pid in ProcessTree())
        {
            var fields = Stat(pid);
            if (fields is null) continue;
            ticks += Ticks(fields);
        }
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
    }

    /// <summary>utime + stime + cutime + cstime of a /proc/PID/stat (as <see cref="Stat"/> splits it), in USER_HZ ticks.</summary>
    private static long Ticks(string[] fields) =>
        fields[11..15].Sum(field => long.Parse(field, CultureInfo.InvariantCulture));

    /// <summary>CPU time so far of each process under the app (its whole tree; each with its children that ended, as
    /// <see cref="Cpu"/> counts), with its role as <see cref="PerProcess"/> names it.</summary>
    public Dictionary<int, (string Role, TimeSpan Cpu)> CpuByProcess()
    {
        var result = new Dictionary<int, (string, TimeSpan)>();
        foreach (var (pid, role) in Tree())
            if (Stat(pid) is { } fields)
                result[pid] = (role, TimeSpan.FromSeconds(Ticks(fields) / 100.0));
        return result;
    }

    /// <summary>Resident memory of the app and its module workers now (VmRSS summed), in bytes.</summary>
    public long Rss() => ProcessTree().Sum(pid => StatusOf(pid, "VmRSS") ?? 0);

    /// <summary>
    /// RSS, PSS and private memory of the app and its workers now (each summed over /proc/PID/smaps_rollup): PSS
    /// charges each shared page to its sharers in equal parts, so it is what the box pays for this app alone when no
    /// other .NET process maps the same runtime files; private (Private_Clean + Private_Dirty) is its floor.
    /// </summary>
    public MemoryUse Memory()
    {
        long rss = 0, pss = 0, own = 0;
        var tree = ProcessTree();
        foreach (var pid in tree)
            if (Rollup(pid) is { } one)
            {
                rss += one.Rss;
                pss += one.Pss;
                own += one.Private;
            }
        return new MemoryUse(rss, pss, own, tree.Count, OtherDotnetProcesses(tree));
    }

    /// <summary>RSS, PSS and private memory of one process from /proc/PID/smaps_rollup; null when it is gone.</summary>
    private static MemoryUse? Rollup(int pid)
    {
        long rss = 0, pss = 0, own = 0, dirty = 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length < 2 || !long.TryParse(parts[1], out var kib)) continue;
                switch (parts[0])
                {
                    case "Rss:": rss += kib * 1024; break;
                    case "Pss:": pss += kib * 1024; break;
                    case "Private_Clean:": own += kib * 1024; break;
                    case "Private_Dirty:": own += kib * 1024; dirty += kib * 1024; break;
                }
            }
        }
        catch (IOException)
        {
            return null; // a worker that stopped between the listing and the read
        }
        return new MemoryUse(rss, pss, own, 1, 0) { Dirty = dirty };
    }

    /// <summary>
    /// The memory of each process under the app (its children and theirs: the broker child, the workers it or the app
    /// started), named by its role from its command line: <c>app</c>, <c>broker</c> (<c>--acf-broker</c>), <c>worker</c>.
    /// </summary>
    public IReadOnlyList<(int Pid, string Role, MemoryUse Memory)> PerProcess() =>
        Tree().Select(p => (p.Pid, p.Role, Memory: Rollup(p.Pid))).Where(p => p.Memory is not null)
            .Select(p => (p.Pid, p.Role, p.Memory!)).ToList();

    /// <summary>The processes under the app (its children and theirs), each with its role from its command line.</summary>
    private List<(int Pid, string Role)> Tree()
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Stat(pid) is { } fields)
                parents[pid] = int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        var tree = new List<int> { _process.Id };
        for (var i = 0; i < tree.Count; i++)
            tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
        var result = new List<(int, string)>();
        foreach (var pid in tree)
        {
            try
            {
                var args = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
                result.Add((pid, pid == _process.Id ? "app" : args.Contains("--acf-broker") ? "broker" : args.Contains("--acf-worker") ? "worker" : args[0]));
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
        }
        return result;
    }

    /// <summary>
    /// .NET processes outside the app's tree (this harness among them): they map the same runtime files, so the app's
    /// PSS reads lower while they run than on a box where it runs alone.
    /// </summary>
    private static int OtherDotnetProcesses(List<int> tree)
    {
        var count = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || tree.Contains(pid)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "comm")).Trim() == "dotnet") count++;
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
        }
        return count;
    }

    /// <summary>Resident memory of the module workers alone (VmRSS summed), in bytes.</summary>
    public long WorkersRss() => ProcessTree().Where(pid => pid != _process.Id).Sum(pid => StatusOf(pid, "VmRSS") ?? 0);

    /// <summary>The app's process and its children (the worker processes it starts with --acf-worker).</summary>
    private List<int> ProcessTree()
    {
        var tree = new List<int> { _process.Id };
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == _process.Id) continue;
            if (Stat(pid) is { } fields && fields[1] == _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))
                tree.Add(pid);
        }
        return tree;
    }

    /// <summary>The fields of /proc/PID/stat after "pid (comm) " (field 3 is [0], the parent's pid [1]); null when gone.</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static long? StatusOf(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        catch (IOException)
        {
        }
        return null;
    }

    /// <summary>
    /// A line of /proc/PID/status in bytes: VmRSS is RssAnon (heaps) + RssFile (the mapped runtime, assemblies and
    /// libraries, shared with the page cache) + RssShmem (here the JIT's double-mapped code).
    /// </summary>
    public long Status(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        throw new InvalidOperationException("no " + field);
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
