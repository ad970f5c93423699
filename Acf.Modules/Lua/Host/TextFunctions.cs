using Acf.Broker.Text;
using KeraLua;

namespace Acf.Modules.Lua.Host;

/// <summary><c>acf.text</c>: a unified diff of two texts, a SHA-512-crypt hash, and base64 decoding.</summary>
internal static class TextFunctions
{
    public static readonly KeyValuePair<string, HostFunction>[] All =
    [
        new("text_diff", Diff),
        new("text_crypt", Crypt),
        new("text_base64_decode", Base64Decode),
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
        var text = lua.ToString(1, false);
        var bytes = new byte[text.Length / 4 * 3 + 3];
        if (!Convert.TryFromBase64String(text, bytes, out var written)) return lua.Failure("failed", "The text is not base64.");
        if (!call.Budget.HasRoomFor(written)) return lua.Failure("failed", "The decoded text is too large for the memory limit.");
        lua.PushBoolean(true);
        lua.PushBuffer(bytes.AsSpan(0, written).ToArray());
        return 2;
    }
}
