using System.Diagnostics;
using System.Text;

namespace Acf.Modules.System;

/// <summary>
/// Runs one command as an argv list: no shell, a fixed PATH and environment, standard input given or closed, a
/// timeout that kills the whole process tree, and output capped so a chatty tool cannot fill memory.
/// </summary>
public sealed class CommandRunner
{
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

    public ExecResult Run(IReadOnlyList<string> argv, string? stdin, TimeSpan timeout, int outputLimit, string workingDirectory = "/")
    {
        var program = Locate(argv[0]);
        if (program is null) return new ExecResult(127, "", $"{argv[0]}: command not found", false, false, false);

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
        var stdout = new CappedReader(process.StandardOutput, outputLimit);
        var stderr = new CappedReader(process.StandardError, outputLimit);
        var reading = Task.WhenAll(stdout.ReadAsync(), stderr.ReadAsync());
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
        return new ExecResult(status, stdout.Text, stderr.Text, timedOut, stdout.Truncated || stderr.Truncated, false);
    }

    private sealed class CappedReader(StreamReader reader, int limit)
    {
        private readonly StringBuilder _text = new();

        public bool Truncated { get; private set; }

        public string Text
        {
            get { lock (_text) return _text.ToString(); }
        }

        public async Task ReadAsync()
        {
            var buffer = new char[8192];
            int read;
            while ((read = await reader.ReadAsync(buffer)) > 0)
            {
                lock (_text)
                {
                    var room = limit - _text.Length;
                    if (read > room) Truncated = true; // keep draining so the command does not block on a full pipe
                    if (room > 0) _text.Append(buffer, 0, Math.Min(room, read));
                }
            }
        }
    }
}
