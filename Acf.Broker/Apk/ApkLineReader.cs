using System.Buffers;

namespace Acf.Broker.Apk;

/// <summary>
/// Reads a stream line by line as bytes, without a string per line: apk's databases are mostly lines nobody keeps
/// (an installed database holds a line per file), so only the fields that are kept become strings. The span handed
/// out points into a pooled buffer and is valid until the next call.
/// </summary>
internal sealed class ApkLineReader(Stream stream, int bufferSize = 64 * 1024) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
    private int _start;
    private int _end;
    private bool _eof;

    /// <summary>The next line without its <c>\n</c> (and without a <c>\r</c> before it); false at the end.</summary>
    public bool ReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = TrimCr(pending[..newline]);
                _start += newline + 1;
                return true;
            }
            if (_eof)
            {
                line = TrimCr(pending);
                _start = _end;
                return !pending.IsEmpty;
            }
            Fill();
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            // A line longer than the buffer: grow rather than split it.
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _end).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        var read = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _eof = true;
        _end += read;
    }

    private static ReadOnlySpan<byte> TrimCr(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;

    public void Dispose()
    {
        if (_buffer.Length == 0) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
