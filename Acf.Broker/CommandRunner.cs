using System.Diagnostics;

namespace Acf.Broker;

/// <summary>
/// Runs one command as an argv list: no shell, a fixed PATH and environment, standard input given or closed, a
/// timeout that kills the whole process tree, and output capped so a chatty tool cannot fill memory. With a line
/// callback, every line of output is handed on as it comes (a long <c>apk upgrade</c> shows its progress).
/// <paramref name="through"/> (<c>Acf:Exec:Through</c>, lab only): an argv prefix every command runs behind, so the
/// command acts inside a lab node; argv[0] is then found by the node, not here.
/// </summary>
internal sealed class CommandRunner(IReadOnlyList<string>? through = null)
{
    /// <summary>The argv prefix every command runs behind; empty on a real box and on the demo host.</summary>
    public IReadOnlyList<string> Through { get; } = through ?? [];

    /// <summary>The only PATH commands see, and the only places a bare command name is looked up in.</summary>
    public static readonly IReadOnlyList<string> FixedPath =
        ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    /// <summary>The program for argv[0]: an absolute path as given, a bare name looked up in <see cref="FixedPath"/>.</summary>
    public static string? Locate(string command)
    {
        if (command.StartsWith('/')) return File.Exists(command) ? command : null;
        if (command.Contains('/')) return null;
        return FixedPath.Select(dir => Path.Combine(dir, command)).FirstOrDefault(File.Exists);
    }

    public ExecResult Run(IReadOnlyList<string> argv, string? stdin, TimeSpan timeout, int outputLimit,
        string workingDirectory = "/", Action<string>? onLine = null)
    {
        if (Through.Count > 0) argv = [.. Through, .. argv];
        var program = Locate(argv[0]);
        if (program is null)
        {
            var missing = $"{argv[0]}: command not found";
            onLine?.Invoke(missing);
            return new ExecResult(127, "", missing, false, false, false);
        }

        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in argv.Skip(1)) start.ArgumentList.Add(arg);
        start.Environment.Clear();
        start.Environment["PATH"] = string.Join(':', FixedPath);
        start.Environment["LC_ALL"] = "C";

        using var process = Process.Start(start)!;
        var output = new CappedOutput(outputLimit, onLine);
        var reading = Task.WhenAll(output.ReadAsync(process.StandardOutput, error: false),
            output.ReadAsync(process.StandardError, error: true));
        try
        {
            if (stdin is not null) process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The command exited without reading its input; its status tells the rest.
        }

        var timedOut = !process.WaitForExit(timeout);
        if (timedOut)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.WaitForExit();
        }
        reading.Wait(TimeSpan.FromSeconds(5));
        var status = timedOut ? 124 : process.ExitCode;
        return new ExecResult(status, output.Stdout, output.Stderr, timedOut, output.Truncated, false);
    }

    /// <summary>
    /// Both streams, capped together. Without a callback they are read in blocks; with one, line by line, and the
    /// lines go to the callback in arrival order. Past the cap nothing is kept or handed on, but the streams are
    /// still drained so the command does not block on a full pipe.
    /// </summary>
    private sealed class CappedOutput(int limit, Action<string>? onLine)
    {
        private readonly Lock _gate = new();
        private readonly StringBuilder _stdout = new();
        private readonly StringBuilder _stderr = new();

        public bool Truncated { get; private set; }

        public string Stdout
        {
            get { lock (_gate) return _stdout.ToString(); }
        }

        public string Stderr
        {
            get { lock (_gate) return _stderr.ToString(); }
        }

        public async Task ReadAsync(StreamReader reader, bool error)
        {
            if (onLine is not null)
            {
                while (await reader.ReadLineAsync() is { } line) Add(line + "\n", error, line);
                return;
            }
            var buffer = new char[8192];
            int read;
            while ((read = await reader.ReadAsync(buffer)) > 0) Add(new string(buffer, 0, read), error, null);
        }

        private void Add(string text, bool error, string? line)
        {
            lock (_gate)
            {
                var room = limit - _stdout.Length - _stderr.Length;
                if (text.Length > room) Truncated = true;
                if (room <= 0 || (line is not null && text.Length > room)) return;
                (error ? _stderr : _stdout).Append(text, 0, Math.Min(room, text.Length));
                if (line is not null) onLine!(line);
            }
        }
    }
}
