using Acf.Broker.Text;
using KeraLua;

namespace Acf.Modules.Lua.Host;

/// <summary><c>acf.text</c>: a unified diff of two texts, a SHA-512-crypt hash, base64 decoding and SSH key fingerprints.</summary>
internal static class TextFunctions
{
    public static readonly KeyValuePair<string, HostFunction>[] All =
    [
        new("text_diff", Diff),
        new("text_crypt", Crypt),
        new("text_base64_decode", Base64Decode),
        new("text_ssh_fingerprint", SshFingerprint),
    ];

    private static int Diff(HostCall call)
    {
        var lua = call.Lua;
        if (lua.Type(1) != LuaType.String || lua.Type(2) != LuaType.String)
            return lua.Failure("invalid", "acf.text.diff: both texts must be strings");
        var diff = UnifiedDiff.Create(lua.ToString(1, false), lua.ToString(2, false), lua.StringArg(3) ?? "before", lua.StringArg(4) ?? "after");
        lua.PushBoolean(true);
        lua.PushString(diff);
        return 2;
    }

    /// <summary>A new SHA-512-crypt hash (<c>$6$</c>) of a password, for files such as squid's basic_ncsa_auth passwd.</summary>
    private static int Crypt(HostCall call)
    {
        var lua = call.Lua;
        if (lua.Type(1) != LuaType.String) return lua.Failure("invalid", "acf.text.crypt: the password must be a string");
        var password = lua.ToString(1, false);
        if (password.Length == 0 || password.Length > Sha512Crypt.MaxPasswordBytes || password.Any(char.IsControl))
            return lua.Failure("invalid", "acf.text.crypt: a password has 1 to 256 characters and no control characters");
        lua.PushBoolean(true);
        // crypt(3)'s default 5,000 rounds, not the login's 200,000: proxy helpers such as basic_ncsa_auth verify
        // on every credentials check, and a small box must keep up with a whole office's browsers.
        lua.PushString(Sha512Crypt.Hash(password, rounds: Sha512Crypt.SpecDefaultRounds));
        return 2;
    }

    /// <summary>The bytes of a base64 text (how a file field's upload travels); failure when it is not base64.</summary>
    private static int Base64Decode(HostCall call)
    {
        var lua = call.Lua;
        if (lua.Type(1) != LuaType.String) return lua.Failure("invalid", "acf.text.base64_decode: the text must be a string");
        if (DecodeBase64(lua.ToString(1, false)) is not (var bytes, var written)) return lua.Failure("failed", "The text is not base64.");
        if (!call.Budget.HasRoomFor(written)) return lua.Failure("failed", "The decoded text is too large for the memory limit.");
        lua.PushBoolean(true);
        lua.PushBuffer(bytes.AsSpan(0, written).ToArray());
        return 2;
    }

    /// <summary>
    /// An SSH public key's fingerprint as <c>ssh-keygen -l</c> prints it (<c>SHA256:</c> and the unpadded base64 of
    /// the SHA-256 of the key blob), and the key type the blob itself names (its first string), so a module can
    /// refuse a line whose stated type is not the key's. Failure when the text is not base64 or not a key blob.
    /// </summary>
    private static int SshFingerprint(HostCall call)
    {
        var lua = call.Lua;
        if (lua.Type(1) != LuaType.String) return lua.Failure("invalid", "acf.text.ssh_fingerprint: the key must be a string");
        if (DecodeBase64(lua.ToString(1, false)) is not (var blob, var size)) return lua.Failure("failed", "The key is not base64.");
        if (size < 4) return lua.Failure("failed", "The key is too short to be an SSH public key.");
        var typeLength = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(blob);
        if (typeLength == 0 || typeLength > 64 || typeLength > size - 4)
            return lua.Failure("failed", "The key does not start with its type, as an SSH public key does.");
        var type = System.Text.Encoding.ASCII.GetString(blob, 4, (int)typeLength);
        var hash = System.Security.Cryptography.SHA256.HashData(blob.AsSpan(0, size));
        lua.PushBoolean(true);
        lua.PushString("SHA256:" + Convert.ToBase64String(hash).TrimEnd('='));
        lua.PushString(type);
        return 3;
    }

    private static (byte[] Bytes, int Size)? DecodeBase64(string text)
    {
        var bytes = new byte[text.Length / 4 * 3 + 3];
        return Convert.TryFromBase64String(text, bytes, out var size) ? (bytes, size) : null;
    }
}
