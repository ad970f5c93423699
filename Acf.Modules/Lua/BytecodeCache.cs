using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using KeraLua;
using LuaState = KeraLua.Lua;

namespace Acf.Modules.Lua;

/// <summary>
/// Lua bytecode by the content of its source text (<see cref="ContentHash"/>): the prelude, controllers and libraries
/// are compiled once per process and every later state loads the dump. Only the host loads bytecode (what it dumped
/// itself); module code can load text only.
/// </summary>
internal static class BytecodeCache
{
    private const int MaxEntries = 512; // edited files leave old versions behind; past this the cache starts again

    private static readonly ConcurrentDictionary<string, byte[]> Compiled = new(StringComparer.Ordinal);

    /// <summary>Entries held now (tests).</summary>
    public static int Count => Compiled.Count;

    /// <summary>
    /// The bytecode of a text chunk: compiled in <paramref name="lua"/> and dumped (with its debug information, so
    /// errors keep their line numbers) the first time, from the cache after. Null with the syntax error when it does
    /// not compile. Leaves the stack as it found it.
    /// </summary>
    public static byte[]? Get(LuaState lua, byte[] source, string chunkName, out string? error)
    {
        error = null;
        var key = ContentHash.Of(source);
        if (Compiled.TryGetValue(key, out var cached)) return cached;
        if (lua.LoadBuffer(source, chunkName, "t") != LuaStatus.OK)
        {
            error = LuaText.ErrorText(lua);
            lua.Pop(1);
            return null;
        }
        var code = Dump(lua);
        lua.Pop(1);
        if (code is null)
        {
            error = $"{chunkName.TrimStart('@', '=')} could not be compiled to bytecode";
            return null;
        }
        if (Compiled.Count >= MaxEntries) Compiled.Clear();
        Compiled[key] = code;
        return code;
    }

    private static byte[]? Dump(LuaState lua)
    {
        using var dump = new MemoryStream();
        LuaWriter writer = (_, block, size, _) =>
        {
            try
            {
                var bytes = new byte[(int)size];
                Marshal.Copy(block, bytes, 0, bytes.Length);
                dump.Write(bytes);
                return 0;
            }
            catch (Exception)
            {
                return 1; // never let an exception reach native code; lua_dump stops and the chunk is not cached
            }
        };
        var status = lua.Dump(writer, IntPtr.Zero, false);
        GC.KeepAlive(writer);
        return status == 0 ? dump.ToArray() : null;
    }
}
