using Acf.Broker.Text;

namespace Acf.Web.Auth;

/// <summary>How a code was checked.</summary>
public enum CodeCheck
{
    /// <summary>A TOTP code of the current window, not seen before.</summary>
    Accepted,

    /// <summary>A recovery code: accepted and now used up.</summary>
    RecoveryCodeUsed,

    /// <summary>A valid TOTP code whose time step was used already (a replay).</summary>
    Replayed,

    Invalid,
}

/// <summary>
/// The users' second factors in <c>/etc/acf/otp</c> (see <see cref="OtpFile"/>), written through the broker as the
/// host. Codes are checked here: a TOTP code is accepted once per time step and user (the last step is kept in
/// memory: a restart forgets it, which only matters for the 90 seconds a code is valid); a recovery code is removed
/// from the file when used.
/// </summary>
public sealed class SecondFactorStore(HostActions host, TimeProvider time)
{
    public const string OtpPath = "/etc/acf/otp";
    public const int RecoveryCodeCount = 10;
    private const int RecoveryHashRounds = 5000; // the codes carry 80 random bits; the rounds only slow a stolen file down
    private const string RecoveryAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I

    private readonly HostFile<OtpFile> _file = host.File(OtpPath, OtpFile.Parse, secret: true);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _lastStep = new(StringComparer.Ordinal);

    public bool IsEnrolled(string user) => _file.Load().Value.Find(user) is not null;

    public int RecoveryCodesLeft(string user) => _file.Load().Value.Find(user)?.RecoveryHashes.Count ?? 0;

    /// <summary>Checks a code for a pending enrolment's secret; an accepted step counts as used for the user.</summary>
    public CodeCheck CheckNew(string user, string secret, string code) =>
        Totp.Decode(secret) is { } key ? CheckTotp(user, key, code) : CodeCheck.Invalid;

    /// <summary>Switches the second factor on with <paramref name="secret"/> and returns fresh recovery codes (shown once).</summary>
    /// <returns>The codes, or null and the message why nothing was saved.</returns>
    public (IReadOnlyList<string>? Codes, string? Error) Enrol(string user, string secret, string actingUser)
    {
        var codes = Enumerable.Range(0, RecoveryCodeCount).Select(_ => NewRecoveryCode()).ToList();
        var entry = new OtpEntry(user, secret, codes.Select(c => Sha512Crypt.Hash(Normalize(c), rounds: RecoveryHashRounds)).ToList());
        var error = Change(file => file.Set(entry), actingUser);
        return error is null ? (codes, null) : (null, error);
    }

    /// <summary>Switches it off (the caller has checked a code or is an admin resetting it).</summary>
    public string? Disable(string user, string actingUser) => Change(file => file.Remove(user), actingUser);

    /// <summary>A login's or a disable's code: the TOTP code of now, or one unused recovery code.</summary>
    public CodeCheck Check(string user, string code, string actingUser)
    {
        if (_file.Load().Value.Find(user) is not { } entry || Totp.Decode(entry.Secret) is not { } key) return CodeCheck.Invalid;
        var totp = CheckTotp(user, key, code);
        if (totp != CodeCheck.Invalid) return totp;
        var typed = Normalize(code);
        if (typed.Length != 16) return CodeCheck.Invalid;
        lock (_gate)
        {
            var (tag, file) = _file.LoadCopy(f => f.ToText());
            if (file.Find(user) is not { } current) return CodeCheck.Invalid;
            var used = current.RecoveryHashes.FirstOrDefault(h => Sha512Crypt.Verify(typed, h));
            if (used is null) return CodeCheck.Invalid;
            file.Set(current with { RecoveryHashes = current.RecoveryHashes.Where(h => h != used).ToList() });
            // Used up only once the file says so: a failed write must not leave a code that works again.
            return _file.Save(file.ToText(), tag, actingUser) is null ? CodeCheck.RecoveryCodeUsed : CodeCheck.Invalid;
        }
    }

    private CodeCheck CheckTotp(string user, byte[] key, string code)
    {
        if (Totp.MatchStep(key, code, time.GetUtcNow()) is not { } step) return CodeCheck.Invalid;
        lock (_gate)
        {
            if (_lastStep.TryGetValue(user, out var last) && step <= last) return CodeCheck.Replayed;
            _lastStep[user] = step;
            return CodeCheck.Accepted;
        }
    }

    private string? Change(Action<OtpFile> change, string actingUser)
    {
        lock (_gate)
        {
            try
            {
                var (tag, file) = _file.LoadCopy(f => f.ToText());
                change(file);
                return _file.Save(file.ToText(), tag, actingUser);
            }
            catch (IOException e)
            {
                return e.Message;
            }
        }
    }

    /// <summary>16 characters from a 32-letter alphabet (80 bits), shown as four groups of four.</summary>
    private static string NewRecoveryCode()
    {
        var chars = Enumerable.Range(0, 16).Select(_ => RecoveryAlphabet[RandomNumberGenerator.GetInt32(RecoveryAlphabet.Length)]).ToArray();
        return string.Join('-', Enumerable.Range(0, 4).Select(i => new string(chars, i * 4, 4)));
    }

    private static string Normalize(string code) =>
        new(code.Where(c => c is not ('-' or ' ')).Select(char.ToUpperInvariant).ToArray());
}
