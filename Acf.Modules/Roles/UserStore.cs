using Acf.Broker.Text;

namespace Acf.Modules.Roles;

/// <summary>
/// The users of ACF's <c>/etc/acf/passwd</c> under the system root, read and written through the broker as the host
/// itself (a <see cref="HostFile{T}"/>, as <c>/etc/acf/roles</c> is: atomic, kept in history and audited like any
/// module's write). Parsed once per file version.
/// </summary>
public sealed class UserStore
{
    public const string PasswdPath = "/etc/acf/passwd";
    public const string FirstAdmin = "root";

    /// <summary>0600: the password hashes are for root's eyes only (issue 16); a save also tightens an older 0644 file.</summary>
    private const int PasswdMode = 0b110_000_000;

    private readonly HostFile<PasswdFile> _file;
    private readonly Lock _gate = new();

    /// <summary>Internal, as the broker is: the runtime registers it (<c>AddAcfModules</c>) for the pages.</summary>
    internal UserStore(ISystemBroker broker) => _file = new(broker, PasswdPath, PasswdFile.Parse, mode: PasswdMode);

    // Verifying against this when the user does not exist takes as long as a real check, so timing tells nothing.
    private static readonly string DummyHash = Sha512Crypt.Hash(Guid.NewGuid().ToString());

    public bool HasUsers => Load().File.Users.Count > 0;

    public AcfUser? Find(string name) => Load().File.Find(name);

    /// <summary>The principal for a signed-in name, with the roles the file gives now (null when the user is gone).</summary>
    public AcfPrincipal? Principal(string? name) =>
        name is not null && Find(name) is { } user ? new AcfPrincipal(user.Name, user.Roles) : null;

    /// <summary>The user when the password matches; null otherwise, taking the same time either way.</summary>
    public AcfUser? Verify(string name, string password)
    {
        var user = Find(name);
        var hash = user?.PasswordHash ?? DummyHash;
        var ok = Sha512Crypt.Verify(password, hash);
        if (PaddingRounds(hash) is > 0 and var rest) _ = Sha512Crypt.Hash("padding", "padding", rest);
        return ok && user is not null ? user : null;
    }

    /// <summary>
    /// The rounds to spend after checking <paramref name="storedHash"/> so that every check costs what a current hash
    /// costs: a legacy <c>$6$</c> hash (5000 rounds) or a disabled one (<c>!</c>) must not answer faster than another
    /// user's or an unknown name's, or the timing would tell them apart.
    /// </summary>
    public static int PaddingRounds(string storedHash) =>
        Math.Max(Sha512Crypt.DefaultRounds - Sha512Crypt.CostOf(storedHash), 0) is var rest && rest > 0
            ? Math.Max(rest, Sha512Crypt.MinRounds)
            : 0;

    /// <summary>Creates <c>root</c> with role ADMIN, only while the file has no user; false when one exists already.</summary>
    public bool CreateFirstAdmin(string password, string actingUser)
    {
        lock (_gate)
        {
            var (tag, cached) = Load();
            if (cached.Users.Count > 0) return false;
            var file = PasswdFile.Parse(cached.ToText()); // a copy: the cached parse stays as on disk if the save fails
            file.Upsert(new AcfUser(FirstAdmin, Sha512Crypt.Hash(password), "Administrator", [AcfRoles.Admin], "", ""));
            Save(file, tag, actingUser);
            return true;
        }
    }

    /// <summary>The users in file order (a name defined twice is listed once, with the line that counts).</summary>
    public IReadOnlyList<AcfUser> Users => Load().File.Users.DistinctBy(u => u.Name, StringComparer.Ordinal).ToList();

    /// <summary>
    /// Changes the file in one step: <paramref name="change"/> gets a private copy of the current file and returns
    /// null to save it or a message to give up; the write is refused when the file changed on disk meanwhile.
    /// </summary>
    /// <returns>Null when saved, else the message (from <paramref name="change"/> or the broker).</returns>
    public string? Change(Func<PasswdFile, string?> change, string actingUser)
    {
        lock (_gate)
        {
            var (tag, cached) = Load();
            var file = PasswdFile.Parse(cached.ToText());
            if (change(file) is { } refusal) return refusal;
            try
            {
                Save(file, tag, actingUser);
                return null;
            }
            catch (IOException e)
            {
                return e.Message;
            }
        }
    }

    private void Save(PasswdFile file, string tag, string actingUser)
    {
        if (_file.Save(file.ToText(), tag, actingUser) is { } error) throw new IOException(error);
    }

    private (string Tag, PasswdFile File) Load() => _file.Load();
}
