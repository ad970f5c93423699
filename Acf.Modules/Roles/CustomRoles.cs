namespace Acf.Modules.Roles;

/// <summary>
/// The roles an admin defines in <c>/etc/acf/roles</c> (ACF's format, see <see cref="RolesFile"/>), on top of what
/// the manifests' roles grant. A line for a custom role grants its actions to users with that role; a line for a
/// built-in role adds to it (and so to every stronger role, which includes it).
/// </summary>
public sealed class CustomRoles
{
    public const string RolesPath = "/etc/acf/roles";

    private readonly HostFile<RolesFile> _file;

    /// <summary>Internal, as the broker is: the runtime registers it (<c>AddAcfModules</c>) for the pages.</summary>
    internal CustomRoles(ISystemBroker broker) => _file = new(broker, RolesPath, RolesFile.Parse);

    /// <summary>The parsed file and its tag, for the roles editor.</summary>
    public (string Tag, RolesFile File) Load() => _file.Load();

    /// <summary>A private copy to change and then <see cref="Save"/>.</summary>
    public (string Tag, RolesFile File) LoadCopy() => _file.LoadCopy(f => f.ToText());

    /// <returns>Null on success, else why nothing was written.</returns>
    public string? Save(RolesFile file, string tag, string actingUser) => _file.Save(file.ToText(), tag, actingUser);

    /// <summary>
    /// The <c>prefix/controller/action</c> permissions the file grants to any of <paramref name="effectiveRoles"/>.
    /// A file that cannot be read grants nothing (the manifests' roles still apply).
    /// </summary>
    public IReadOnlySet<string> Grants(IReadOnlySet<string> effectiveRoles)
    {
        RolesFile file;
        try
        {
            file = _file.Load().Value;
        }
        catch (IOException)
        {
            return new HashSet<string>();
        }
        return file.Roles
            .Where(r => effectiveRoles.Contains(r.Name))
            .SelectMany(r => r.Permissions)
            .Select(RolesFile.Normalize)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
    }
}
