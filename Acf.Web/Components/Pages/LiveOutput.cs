namespace Acf.Web.Components.Pages;

/// <summary>
/// What a running submit says while it runs: the last lines of a long command's output (apk) and the step the
/// module names (<c>acf.progress</c>). Both are told on the sandbox's thread (or the worker's reader); the page
/// reads them when it renders, and <paramref name="repaint"/> asks it to, a few times a second at most for lines.
/// </summary>
public sealed class LiveOutput(Action repaint)
{
    private const int MaxLines = 500;
    private static readonly TimeSpan RepaintEvery = TimeSpan.FromMilliseconds(200);

    private readonly List<string> _lines = [];
    private volatile string? _step;
    private DateTime _lastRepaint;

    public bool HasLines
    {
        get { lock (_lines) return _lines.Count > 0; }
    }

    public string Text
    {
        get { lock (_lines) return string.Join('\n', _lines); }
    }

    public string? Step => _step;

    /// <summary>A new run: nothing said yet.</summary>
    public void Clear()
    {
        lock (_lines) _lines.Clear();
        _step = null;
    }

    /// <summary>Keeps the last lines; a lost repaint is harmless, the page draws again when the run ends.</summary>
    public void Line(string line)
    {
        lock (_lines)
        {
            _lines.Add(line);
            if (_lines.Count > MaxLines) _lines.RemoveAt(0);
            if (DateTime.UtcNow - _lastRepaint < RepaintEvery) return;
            _lastRepaint = DateTime.UtcNow;
        }
        repaint();
    }

    /// <summary>The step the module names, already in the user's words.</summary>
    public void StepTo(string step)
    {
        _step = step;
        repaint();
    }
}
