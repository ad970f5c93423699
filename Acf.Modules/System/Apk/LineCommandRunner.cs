using System.Diagnostics;
using System.Text;

namespace Acf.Modules.System.Apk;

/// <summary>
/// Runs one command as an argv list, like <see cref="CommandRunner"/> (no shell, the fixed PATH and environment,
/// standard input closed, a timeout that kills the process tree, output capped), but hands every line of output to
/// a callback as it comes, so that a long <c>apk upgrade</c> shows its progress. Lines past the cap are neither kept
/// nor handed on; the command is still drained so that it does not block on a full pipe.
/// </summary>
internal static class LineCommandRunner
{
    public static ExecResult Run(IReadOnlyList<string> argv, TimeSpan timeout, int outputLimit, Action<string> onLine,
        string workingDirectory = "/")
    {
        var program = CommandRunner.Locate(argv[0]);
        if (program is null)
        {
            var missing = $"{argv[0]}: command not found";
            onLine(missing);
            return new ExecResult(127, "", missing + "\n", false, false, false);
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
        start.Environment["PATH"] = string.Join(':', CommandRunner.FixedPath);
        start.Environment["LC_ALL"] = "C";

        var output = new SharedOutput(outputLimit, onLine);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var reading = Task.WhenAll(
            ReadLinesAsync(process.StandardOutput, line => output.Add(line, error: false)),
            ReadLinesAsync(process.StandardError, line => output.Add(line, error: true)));

        var timedOut = !process.WaitForExit(timeout);
        if (timedOut)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.WaitForExit();
        }
        reading.Wait(TimeSpan.FromSeconds(5));
        return new ExecResult(timedOut ? 124 : process.ExitCode, output.Stdout, output.Stderr, timedOut, output.Truncated, false);
    }

    private static async Task ReadLinesAsync(StreamReader reader, Action<string> onLine)
    {
        while (await reader.ReadLineAsync() is { } line) onLine(line);
    }

    /// <summary>Both streams' lines, kept in arrival order for the callback and capped together.</summary>
    private sealed class SharedOutput(int limit, Action<string> onLine)
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

        public void Add(string line, bool error)
        {
            lock (_gate)
            {
                if (_stdout.Length + _stderr.Length + line.Length + 1 > limit)
                {
                    Truncated = true;
                    return;
                }
                (error ? _stderr : _stdout).Append(line).Append('\n');
                onLine(line);
            }
        }
    }
}
