using Acf.Broker.Text;

namespace Acf.Web.Auth;

/// <summary>What an admin fills in for a user; a null or empty password keeps the current one.</summary>
public sealed record UserForm(string Name, string RealName, IReadOnlyList<string> Roles, string? Password);

/// <summary>A role for the editor: built in (its manifest grants come from the modules) or only in /etc/acf/roles.</summary>
public sealed record RoleInfo(string Name, bool BuiltIn, IReadOnlyList<string> FilePermissions);

/// <summary>
/// The rules of the users and roles pages (ACF's acf-util), checked here on the server for every action whatever
/// the page shows: only ADMIN may manage users and roles; nobody changes their own roles or deletes themselves;
/// the last ADMIN can be neither removed nor demoted; a user's own password needs the current one. Every write goes
/// through the broker as the host (atomic, audited, kept in history) and keeps the lines and fields it does not own.
/// Messages are English source text for the page's localizer.
/// </summary>
public sealed class UserAdmin(UserStore users, CustomRoles roles, ModuleCatalog catalog, SecondFactorStore secondFactor,
    LoginThrottle throttle, SessionStore sessions, ApiTokenStore tokens, Reauthentication reauthentication)
{
    public static readonly string NotAdmin = Translatable.Text("Only an administrator may manage users and roles.");

    public static bool IsAdmin(AcfPrincipal? actor) => actor is not null && actor.EffectiveRoles.Contains(AcfRoles.Admin);

    /// <summary>Built-in roles first, then those defined only in /etc/acf/roles.</summary>
    public IReadOnlyList<RoleInfo> Roles()
    {
        var file = roles.Load().File;
        var builtIn = AcfRoles.Ordered.Select(r => new RoleInfo(r, true, file.Find(r)?.Permissions ?? []));
        var custom = file.Roles.Where(r => !AcfRoles.Ordered.Contains(r.Name))
            .Select(r => new RoleInfo(r.Name, false, r.Permissions)).OrderBy(r => r.Name, StringComparer.Ordinal);
        return builtIn.Concat(custom).ToList();
    }

    /// <summary>Every action the manifests declare, as ACF's permission <c>/prefix/controller/action</c>, per module.</summary>
    public IReadOnlyList<(ModuleManifest Module, IReadOnlyList<string> Permissions)> DeclaredPermissions() =>
        catalog.Modules.OrderBy(m => m.Prefix, StringComparer.Ordinal)
            .Select(m => (m, (IReadOnlyList<string>)m.Actions.Order(StringComparer.Ordinal).Select(a => RolesFile.Permission(m.Prefix, a)).ToList()))
            .ToList();

    /// <summary>The permissions a built-in role has from the manifests themselves (ADMIN: every declared one).</summary>
    public IReadOnlySet<string> ManifestPermissions(string role)
    {
        var expanded = AcfRoles.Expand([role]);
        return catalog.Modules
            .SelectMany(m => m.Actions.Where(a => m.Allows(expanded, a)).Select(a => RolesFile.Permission(m.Prefix, a)))
            .ToHashSet(StringComparer.Ordinal);
    }

    public string? CreateUser(AcfPrincipal? actor, UserForm form)
    {
        if (!IsAdmin(actor)) return NotAdmin;
        if (PasswdFile.ValidateUserName(form.Name) is { } nameError) return nameError;
        if (string.IsNullOrEmpty(form.Password)) return Translatable.Text("A new user needs a password.");
        if (CheckFields(form) is { } error) return error;
        var hash = Sha512Crypt.Hash(form.Password);
        return users.Change(file =>
        {
            if (file.Find(form.Name) is not null) return Translatable.Text("A user of that name exists already.");
            file.Upsert(new AcfUser(form.Name, hash, form.RealName.Trim(), form.Roles.Distinct().ToList(), "", ""));
            return null;
        }, actor!.Name);
    }

    /// <summary>Changes real name, roles and (for another user) the password; skin and home stay as they are.</summary>
    public string? UpdateUser(AcfPrincipal? actor, UserForm form)
    {
        if (!IsAdmin(actor)) return NotAdmin;
        if (CheckFields(form) is { } error) return error;
        var self = form.Name == actor!.Name;
        if (self && !string.IsNullOrEmpty(form.Password)) return Translatable.Text("Change your own password on your account page (it needs the current one).");
        var hash = string.IsNullOrEmpty(form.Password) ? null : Sha512Crypt.Hash(form.Password);
        return users.Change(file =>
        {
            if (file.Find(form.Name) is not { } old) return Translatable.Text("There is no such user.");
            var newRoles = form.Roles.Distinct().ToList();
            if (self && !old.Roles.Order(StringComparer.Ordinal).SequenceEqual(newRoles.Order(StringComparer.Ordinal)))
                return Translatable.Text("You cannot change your own roles.");
            if (IsLastAdmin(file, old) && !AcfRoles.Expand(newRoles).Contains(AcfRoles.Admin))
                return Translatable.Text("This is the last administrator: give another user ADMIN first.");
            file.Upsert(old with { RealName = form.RealName.Trim(), Roles = newRoles, PasswordHash = hash ?? old.PasswordHash });
            return null;
        }, actor.Name);
    }

    public string? DeleteUser(AcfPrincipal? actor, string name)
    {
        if (!IsAdmin(actor)) return NotAdmin;
        if (name == actor!.Name) return Translatable.Text("You cannot delete yourself.");
        var error = users.Change(file =>
        {
            if (file.Find(name) is not { } old) return Translatable.Text("There is no such user.");
            if (IsLastAdmin(file, old)) return Translatable.Text("This is the last administrator: it cannot be removed.");
            file.Remove(name);
            return null;
        }, actor.Name);
        // A deleted user's second factor must not come back if the name is given out again.
        if (error is null && secondFactor.IsEnrolled(name)) secondFactor.Disable(name, actor.Name);
        return error;
    }

    /// <summary>
    /// A user's own password: the current one must be right. Every other session of the user ends; the session
    /// <paramref name="keepSession"/> (the tab that changed it) stays signed in.
    /// </summary>
    public string? ChangeOwnPassword(AcfPrincipal? actor, string current, string password, string confirm, string? keepSession = null)
    {
        if (actor is null) return Translatable.Text("You are not logged in.");
        if (reauthentication.CheckPassword(actor, current) is { } refusal) return refusal;
        if (password.Length < AccountEndpoints.MinPasswordLength) return Translatable.Text("The new password needs at least 8 characters.");
        if (password != confirm) return Translatable.Text("The two passwords differ.");
        var hash = Sha512Crypt.Hash(password);
        var error = users.Change(file => file.Find(actor.Name) is { } old
            ? Apply(() => file.Upsert(old with { PasswordHash = hash }))
            : Translatable.Text("There is no such user."), actor.Name);
        if (error is null) sessions.EndAll(actor.Name, keepSession);
        return error;
    }

    /// <summary>An admin switches off another user's second factor (a lost phone); the user sets it up again.</summary>
    public string? ResetSecondFactor(AcfPrincipal? actor, string name)
    {
        if (!IsAdmin(actor)) return NotAdmin;
        return secondFactor.Disable(name, actor!.Name);
    }

    public string? Lock(AcfPrincipal? actor, ThrottleKind kind, string name)
    {
        if (!IsAdmin(actor)) return NotAdmin;
        name = name.Trim();
        if (name.Length is 0 or > 64 || name.Any(char.IsControl)) return Translatable.Text("Give a user name or a client address.");
        if (kind == ThrottleKind.User && name == actor!.Name) return Translatable.Text("You cannot lock yourself out.");
        throttle.Lock(kind, name);
        if (kind != ThrottleKind.User) return null;
        // The lock ends the user's sessions and tokens for good: lifting it later brings back neither (a stolen
        // cookie or token is what a lock is often for).
        sessions.EndAll(name);
        foreach (var token in tokens.List(name)) tokens.Revoke(name, token.Id);
        return null;
    }

    public string? Unlock(AcfPrincipal? actor, ThrottleKind kind, string name)
    {
        if (!IsAdmin(actor)) return NotAdmin;
        throttle.Unlock(kind, name);
        return null;
    }

    /// <summary>
    /// Sets a role's permissions in /etc/acf/roles. Only actions the manifests declare can be chosen; permissions
    /// the file holds for modules not installed here are kept. ADMIN may do everything already and is not edited.
    /// </summary>
    public string? SaveRole(AcfPrincipal? actor, string name, IReadOnlyCollection<string> chosen, bool isNew)
    {
        if (!IsAdmin(actor)) return NotAdmin;
        name = name.Trim();
        if (RolesFile.ValidateName(name) is { } nameError) return nameError;
        if (name == AcfRoles.Admin) return Translatable.Text("ADMIN may do everything already.");
        var declared = DeclaredPermissions().SelectMany(m => m.Permissions).ToList();
        var unknown = chosen.Where(p => !declared.Contains(p)).ToList();
        if (unknown.Count > 0) return $"No module declares {unknown[0]}.";
        var (tag, file) = roles.LoadCopy();
        var existing = file.Find(name);
        if (isNew && (existing is not null || AcfRoles.Ordered.Contains(name))) return Translatable.Text("A role of that name exists already.");
        var normalizedDeclared = declared.Select(RolesFile.Normalize).ToHashSet(StringComparer.Ordinal);
        var kept = (existing?.Permissions ?? []).Where(p => !normalizedDeclared.Contains(RolesFile.Normalize(p) ?? ""));
        var manifest = AcfRoles.Ordered.Contains(name) ? ManifestPermissions(name) : new HashSet<string>();
        var permissions = kept.Concat(declared.Where(p => chosen.Contains(p) && !manifest.Contains(p))).ToList();
        if (existing is not null && existing.Permissions.SequenceEqual(permissions)) return null; // unchanged: same bytes
        file.Set(name, permissions);
        return roles.Save(file, tag, actor!.Name);
    }

    /// <summary>Removes a custom role; refused while a user still has it.</summary>
    public string? DeleteRole(AcfPrincipal? actor, string name)
    {
        if (!IsAdmin(actor)) return NotAdmin;
        if (AcfRoles.Ordered.Contains(name)) return Translatable.Text("A built-in role cannot be deleted.");
        var holders = users.Users.Where(u => u.Roles.Contains(name)).Select(u => u.Name).ToList();
        if (holders.Count > 0) return $"Users still have this role: {string.Join(", ", holders)}.";
        var (tag, file) = roles.LoadCopy();
        if (!file.Remove(name)) return Translatable.Text("There is no such role.");
        return roles.Save(file, tag, actor!.Name);
    }

    private string? CheckFields(UserForm form)
    {
        if (form.RealName.Length > 64 || form.RealName.Any(c => c == ':' || char.IsControl(c)))
            return Translatable.Text("The real name may have up to 64 characters, without ':' or control characters.");
        if (!string.IsNullOrEmpty(form.Password) && form.Password.Length < AccountEndpoints.MinPasswordLength)
            return Translatable.Text("The password needs at least 8 characters.");
        var known = Roles().Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        return form.Roles.FirstOrDefault(r => !known.Contains(r)) is { } unknown ? $"There is no role {unknown}." : null;
    }

    /// <summary>True when <paramref name="user"/> has ADMIN and no other user of the file has.</summary>
    private static bool IsLastAdmin(PasswdFile file, AcfUser user) =>
        AcfRoles.Expand(user.Roles).Contains(AcfRoles.Admin)
        && !file.Users.Any(u => u.Name != user.Name && AcfRoles.Expand(u.Roles).Contains(AcfRoles.Admin));

    private static string? Apply(Action change)
    {
        change();
        return null;
    }
}
