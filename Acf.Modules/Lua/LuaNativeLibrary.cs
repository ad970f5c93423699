using System.Reflection;
using System.Runtime.InteropServices;
using LuaState = KeraLua.Lua;

namespace Acf.Modules.Lua;

/// <summary>
/// Finds the Lua 5.4 library for KeraLua. First the one the package bundles (<c>lua54</c>: a glibc build in
/// <c>runtimes/linux-x64/native</c>), then the system's, which is what Alpine needs: the bundled build cannot load on
/// musl, and <c>lua5.4-libs</c> installs <c>/usr/lib/liblua-5.4.so.0</c> (Debian's <c>liblua5.4-0</c> names it
/// <c>liblua5.4.so.0</c>). Only KeraLua's own imports go through it.
/// </summary>
internal static class LuaNativeLibrary
{
    /// <summary>The library name of KeraLua's <c>DllImport</c>s.</summary>
    public const string BundledName = "lua54";

    /// <summary>The system's Lua 5.4, in the order tried: Alpine's name, Debian's, then the unversioned links.</summary>
    public static readonly IReadOnlyList<string> SystemNames = ["liblua-5.4.so.0", "liblua5.4.so.0", "liblua-5.4.so", "liblua5.4.so"];

    private static int _installed;

    /// <summary>Sets the resolver for KeraLua's assembly, once per process, before its first native call.</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 0)
            NativeLibrary.SetDllImportResolver(typeof(LuaState).Assembly, Resolve);
    }

    /// <summary>The names tried for KeraLua's library: the bundled one, then the system's.</summary>
    public static IEnumerable<string> Candidates(string bundled = BundledName) => SystemNames.Prepend(bundled);

    /// <summary>
    /// The handle of the first candidate that <paramref name="tryLoad"/> loads, or zero when none does (the runtime
    /// then reports the missing library as usual). <paramref name="tried"/> receives each name tried.
    /// </summary>
    public static IntPtr Load(IEnumerable<string> candidates, Func<string, IntPtr> tryLoad, ICollection<string>? tried = null)
    {
        foreach (var candidate in candidates)
        {
            tried?.Add(candidate);
            var handle = tryLoad(candidate);
            if (handle != IntPtr.Zero) return handle;
        }
        return IntPtr.Zero;
    }

    /// <summary>dlopen through the runtime's probing (the app's own native folders first, then the system's).</summary>
    public static IntPtr TryLoad(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        NativeLibrary.TryLoad(name, assembly, searchPath, out var handle) ? handle : IntPtr.Zero;

    // Other libraries KeraLua might import are left to the runtime.
    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == BundledName ? Load(Candidates(), candidate => TryLoad(candidate, assembly, searchPath)) : IntPtr.Zero;
}
