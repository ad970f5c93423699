namespace Acf.Broker.Apk;

/// <summary>
/// apk's version order (apk-package(5): <c>number{.number}...{letter}{_suffix{number}}...{~hash}{-r#}</c>). A version
/// is read as a run of tokens; tokens of the same kind compare by value (numbers numerically, except that a later
/// number with a leading zero compares as text, as Gentoo does), suffixes in the order
/// <c>alpha, beta, pre, rc, (none), cvs, svn, git, hg, p</c>. When one version runs out first, the longer one is newer
/// unless what it has more is a pre-release suffix. Invalid versions still compare, up to the first bad token.
/// </summary>
public static class ApkVersion
{
    /// <summary>-1, 0 or 1 as <paramref name="a"/> is older than, the same as, or newer than <paramref name="b"/>.</summary>
    public static int Compare(string a, string b) => Compare(a.AsSpan(), b.AsSpan(), fuzzy: false);

    /// <summary>Whether apk accepts <paramref name="version"/> as a package version.</summary>
    public static bool IsValid(string version)
    {
        var t = new Tokenizer(version);
        while (t.Kind < TokenKind.End) t.Next();
        return t.Kind == TokenKind.End;
    }

    /// <summary>
    /// Like <see cref="Compare(string, string)"/>; with <paramref name="fuzzy"/>, a <paramref name="b"/> that ends
    /// while <paramref name="a"/> goes on counts as equal (apk's <c>~</c>: <c>1.36.1</c> matches <c>~1.36</c>).
    /// </summary>
    internal static int Compare(ReadOnlySpan<char> a, ReadOnlySpan<char> b, bool fuzzy)
    {
        var ta = new Tokenizer(a);
        var tb = new Tokenizer(b);
        while (ta.Kind == tb.Kind && ta.Kind < TokenKind.End)
        {
            var r = CompareToken(ref ta, ref tb);
            if (r != 0) return r;
            ta.Next();
            tb.Next();
        }
        if (ta.Kind == tb.Kind) return 0;
        if (fuzzy && tb.Kind == TokenKind.End) return 0;

        // Equal so far and one goes on: the longer is newer, unless it goes on with a pre-release suffix.
        if (ta.Kind == TokenKind.Suffix && ta.Suffix < SuffixNone) return -1;
        if (tb.Kind == TokenKind.Suffix && tb.Suffix < SuffixNone) return 1;
        return ta.Kind > tb.Kind ? -1 : 1;
    }

    private static int CompareToken(ref Tokenizer a, ref Tokenizer b) => a.Kind switch
    {
        TokenKind.Digit when a.Value[0] == '0' || b.Value[0] == '0' => Math.Sign(a.Value.SequenceCompareTo(b.Value)),
        TokenKind.Digit or TokenKind.InitialDigit or TokenKind.SuffixNumber or TokenKind.Revision => a.Number.CompareTo(b.Number),
        TokenKind.Letter => a.Value[0].CompareTo(b.Value[0]),
        TokenKind.Suffix => a.Suffix.CompareTo(b.Suffix),
        _ => Math.Sign(a.Value.SequenceCompareTo(b.Value)),
    };

    // The order of the kinds is the grammar: a token may only be followed by kinds at or after it (with the few
    // exceptions Next() allows), and a version that stops early sorts by the kind the other one goes on with.
    private enum TokenKind { InitialDigit, Digit, Letter, Suffix, SuffixNumber, CommitHash, Revision, End, Invalid }

    private const int SuffixInvalid = 0;
    private const int SuffixNone = 5;

    private static int SuffixValue(ReadOnlySpan<char> suffix) => suffix switch
    {
        "alpha" => 1,
        "beta" => 2,
        "pre" => 3,
        "rc" => 4,
        "cvs" => 6,
        "svn" => 7,
        "git" => 8,
        "hg" => 9,
        "p" => 10,
        _ => SuffixInvalid,
    };

    private ref struct Tokenizer
    {
        private ReadOnlySpan<char> _rest;

        public Tokenizer(ReadOnlySpan<char> version)
        {
            _rest = version;
            Kind = TokenKind.InitialDigit;
            TakeNumber();
        }

        public TokenKind Kind;
        public ReadOnlySpan<char> Value;
        public ulong Number;
        public int Suffix;

        public void Next()
        {
            if (_rest.IsEmpty)
            {
                Kind = TokenKind.End;
                return;
            }
            var c = _rest[0];
            switch (c)
            {
                case >= 'a' and <= 'z':
                    if (Kind > TokenKind.Digit) goto default;
                    Value = _rest[..1];
                    _rest = _rest[1..];
                    Kind = TokenKind.Letter;
                    break;
                case '.' or (>= '0' and <= '9'):
                    if (c == '.')
                    {
                        if (Kind > TokenKind.Digit) goto default;
                        _rest = _rest[1..];
                    }
                    if (Kind is TokenKind.InitialDigit or TokenKind.Digit) Kind = TokenKind.Digit;
                    else if (Kind == TokenKind.Suffix) Kind = TokenKind.SuffixNumber;
                    else goto default;
                    TakeNumber();
                    break;
                case '_':
                    if (Kind > TokenKind.SuffixNumber) goto default;
                    _rest = _rest[1..];
                    Value = TakeWhile(static ch => ch is >= 'a' and <= 'z');
                    Suffix = SuffixValue(Value);
                    Kind = Suffix == SuffixInvalid ? TokenKind.Invalid : TokenKind.Suffix;
                    break;
                case '~':
                    if (Kind >= TokenKind.CommitHash) goto default;
                    _rest = _rest[1..];
                    Value = TakeWhile(static ch => ch is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
                    Kind = Value.IsEmpty ? TokenKind.Invalid : TokenKind.CommitHash;
                    break;
                case '-':
                    if (Kind >= TokenKind.Revision || _rest.Length < 2 || _rest[1] != 'r') goto default;
                    _rest = _rest[2..];
                    Kind = TokenKind.Revision;
                    TakeNumber();
                    break;
                default:
                    Kind = TokenKind.Invalid;
                    break;
            }
        }

        private void TakeNumber()
        {
            var i = 0;
            ulong n = 0;
            while (i < _rest.Length && char.IsAsciiDigit(_rest[i]))
                n = unchecked(n * 10 + (ulong)(_rest[i++] - '0')); // apk reads into a uint64 and lets it wrap
            Value = _rest[..i];
            Number = n;
            _rest = _rest[i..];
            if (i == 0) Kind = TokenKind.Invalid;
        }

        private ReadOnlySpan<char> TakeWhile(Func<char, bool> accept)
        {
            var i = 0;
            while (i < _rest.Length && accept(_rest[i])) i++;
            var taken = _rest[..i];
            _rest = _rest[i..];
            return taken;
        }
    }
}
