namespace Acf.Broker.Apk;

/// <summary>
/// One string per distinct value for the fields that repeat across thousands of records (architecture, license,
/// origin, dependency names such as <c>so:libc.musl-x86_64.so.1</c>): looked up from the raw bytes, allocated once.
/// </summary>
internal sealed class ApkStringPool
{
    private const int StackLimit = 256;

    private readonly Dictionary<string, string> _strings;
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public ApkStringPool()
    {
        _strings = new Dictionary<string, string>(StringComparer.Ordinal);
        _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty) return "";
        Span<char> chars = utf8.Length <= StackLimit ? stackalloc char[StackLimit] : new char[utf8.Length];
        var length = Encoding.UTF8.GetChars(utf8, chars);
        var text = chars[..length];
        if (_lookup.TryGetValue(text, out var existing)) return existing;
        var created = new string(text);
        _strings.Add(created, created);
        return created;
    }
}
