using System.Text.Json;

namespace Acf.Web.Auth;

/// <summary>When and from where a token was last used.</summary>
public sealed record ApiTokenUse(DateTimeOffset Time, string? Address);

/// <summary>A token just made: the only moment its secret exists outside the caller.</summary>
public sealed record CreatedApiToken(ApiToken Token, string Secret);

/// <summary>
/// API tokens for remote automation. Tokens live in <c>/etc/acf/api-tokens</c> beside the users, written through the
/// broker as the host (atomic, audited, mode 0600, kept by <c>lbu commit</c> like passwd); only the SHA-256 of each
/// 256-bit secret is stored and compared in constant time. Last use is not configuration: it is kept in the data
/// folder, written at most once a minute per token, so automation does not wear the flash or fill lbu's changes.
/// </summary>
public sealed class ApiTokenStore(HostActions hostActions, SystemHost host, TimeProvider time, ILogger<ApiTokenStore> logger)
{
    public const string TokensPath = "/etc/acf/api-tokens";
    public const string TokenPrefix = "acf_";
    public const int MaxTokensPerUser = 50;
    public const int MaxDays = 730;
    private const string Header = "# Acf API tokens: id:user:sha256 of the secret:created:expires:roles:name (Unix seconds)\n";
    private static readonly TimeSpan UseWriteInterval = TimeSpan.FromMinutes(1);

    private readonly HostFile<ApiTokenFile> _file = hostActions.File(TokensPath, ApiTokenFile.Parse, secret: true);
    private readonly Lock _gate = new();
    private Dictionary<string, ApiTokenUse>? _uses;
    private Dictionary<string, DateTimeOffset> _written = [];

    private string UsesPath => Path.Combine(host.DataPath, "api-tokens-used.json");

    /// <summary>The user's tokens, newest first.</summary>
    public IReadOnlyList<ApiToken> List(string user) =>
        Load().File.Tokens.Where(t => t.User == user).OrderByDescending(t => t.Created).ToList();

    public ApiTokenUse? LastUse(string id)
    {
        lock (_gate) return Uses().GetValueOrDefault(id);
    }

    /// <summary>Makes a token for <paramref name="user"/> with a subset of the user's own roles; null and a reason when refused.</summary>
    public (CreatedApiToken? Created, string? Error) Create(AcfPrincipal user, string name, int days, IReadOnlyCollection<string> roles)
    {
        name = name.Trim();
        if (!ApiTokenFile.IsValidName(name)) return (null, Translatable.Text("A name has 1 to 64 letters, digits, spaces, dots, dashes or underscores."));
        if (days is < 1 or > MaxDays) return (null, $"A token expires after 1 to {MaxDays} days.");
        if (roles.Count == 0) return (null, Translatable.Text("Choose at least one role."));
        if (roles.FirstOrDefault(r => !user.EffectiveRoles.Contains(r)) is { } extra) return (null, $"You do not have the role {extra}.");
        lock (_gate)
        {
            var (tag, cached) = Load();
            var mine = cached.Tokens.Where(t => t.User == user.Name).ToList();
            if (mine.Count >= MaxTokensPerUser) return (null, $"You have {MaxTokensPerUser} tokens already; revoke some first.");
            if (mine.Any(t => t.Name == name)) return (null, Translatable.Text("You have a token with this name already."));
            var file = ApiTokenFile.Parse(cached.ToText());
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
            var now = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds());
            var ordered = AcfRoles.Ordered.Where(roles.Contains).Concat(roles.Where(r => !AcfRoles.Ordered.Contains(r)).Order(StringComparer.Ordinal));
            var token = new ApiToken(id, user.Name, HashHex(secret), now, now.AddDays(days), ordered.ToList(), name);
            file.Add(token);
            if (Save(file, tag, user.Name) is { } error) return (null, error);
            logger.LogInformation("{User} made the API token {Id} ({Name}) for {Roles}, expiring {Expires:u}", user.Name, id, name,
                string.Join(',', token.Roles), token.Expires);
            return (new CreatedApiToken(token, $"{TokenPrefix}{id}_{secret}"), null);
        }
    }

    /// <summary>Removes one of <paramref name="user"/>'s tokens; false when the user has no such token.</summary>
    public bool Revoke(string user, string id)
    {
        lock (_gate)
        {
            var (tag, cached) = Load();
            if (cached.Find(id) is not { } token || token.User != user) return false;
            var file = ApiTokenFile.Parse(cached.ToText());
            file.Remove(id);
            if (Save(file, tag, user) is { } error) throw new IOException(error);
            logger.LogInformation("{User} revoked the API token {Id} ({Name})", user, id, token.Name);
            return true;
        }
    }

    /// <summary>
    /// The token a presented <c>acf_&lt;id&gt;_&lt;secret&gt;</c> stands for when it is known, matches and has not
    /// expired (its use is recorded); otherwise null and why.
    /// </summary>
    public (ApiToken? Token, string? Failure) Authenticate(string presented, string? address)
    {
        if (!presented.StartsWith(TokenPrefix, StringComparison.Ordinal) || presented.Length > 200)
            return (null, "not an Acf token");
        var rest = presented[TokenPrefix.Length..];
        var split = rest.IndexOf('_');
        if (split < 0 || !ApiTokenFile.IdPattern().IsMatch(rest[..split])) return (null, "not an Acf token");
        var token = Load().File.Find(rest[..split]);
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(rest[(split + 1)..]));
        // Compared even when the id is unknown, so the answer takes the same time either way.
        var stored = token is null ? new byte[32] : Convert.FromHexString(token.SecretHash);
        if (!CryptographicOperations.FixedTimeEquals(given, stored) || token is null) return (null, "unknown or revoked token");
        var now = time.GetUtcNow();
        if (token.IsExpired(now)) return (null, "expired token");
        RecordUse(token.Id, new ApiTokenUse(now, address));
        return (token, null);
    }

    private void RecordUse(string id, ApiTokenUse use)
    {
        lock (_gate)
        {
            var uses = Uses();
            uses[id] = use;
            if (_written.TryGetValue(id, out var written) && use.Time - written < UseWriteInterval) return;
            _written[id] = use.Time;
            try
            {
                var temp = UsesPath + ".tmp";
                File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(uses));
                File.Move(temp, UsesPath, overwrite: true);
            }
            catch (IOException e)
            {
                logger.LogWarning("Could not keep the last use of API tokens in {Path}: {Error}", UsesPath, e.Message);
            }
        }
    }

    private Dictionary<string, ApiTokenUse> Uses()
    {
        if (_uses is not null) return _uses;
        try
        {
            _uses = File.Exists(UsesPath)
                ? JsonSerializer.Deserialize<Dictionary<string, ApiTokenUse>>(File.ReadAllBytes(UsesPath)) ?? []
                : [];
        }
        catch (JsonException)
        {
            _uses = [];
        }
        _written = _uses.ToDictionary(u => u.Key, u => u.Value.Time);
        return _uses;
    }

    private string? Save(ApiTokenFile file, string tag, string actingUser)
    {
        var text = file.ToText();
        if (!text.StartsWith('#')) text = Header + text;
        return _file.Save(text, tag, actingUser);
    }

    private (string Tag, ApiTokenFile File) Load() => _file.Load();

    private static string HashHex(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
