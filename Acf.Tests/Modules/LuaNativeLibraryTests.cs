using System.Runtime.InteropServices;
using Acf.Modules.Lua;

namespace Acf.Tests.Modules;

/// <summary>
/// How KeraLua's Lua library is found: the bundled glibc build first, then the system's Lua 5.4 under Alpine's and
/// Debian's names (Alpine's musl cannot load the bundled one). The real-load test uses Debian's liblua5.4-0, which
/// scripts/test.sh installs.
/// </summary>
public class LuaNativeLibraryTests
{
    private static readonly IntPtr Loaded = new(42);

    [Fact]
    public void Load_BundledLibraryLoads_TriesNothingElse()
    {
        var tried = new List<string>();

        var handle = LuaNativeLibrary.Load(LuaNativeLibrary.Candidates(), name => name == "lua54" ? Loaded : IntPtr.Zero, tried);

        Assert.Equal(Loaded, handle);
        Assert.Equal(["lua54"], tried);
    }

    [Fact]
    public void Load_BundledLibraryFailsAsOnMusl_LoadsAlpinesLuaNext()
    {
        var tried = new List<string>();

        var handle = LuaNativeLibrary.Load(LuaNativeLibrary.Candidates(), name => name == "liblua-5.4.so.0" ? Loaded : IntPtr.Zero, tried);

        Assert.Equal(Loaded, handle);
        Assert.Equal(["lua54", "liblua-5.4.so.0"], tried);
    }

    [Fact]
    public void Load_OnlyDebiansNameExists_LoadsIt()
    {
        var tried = new List<string>();

        var handle = LuaNativeLibrary.Load(LuaNativeLibrary.Candidates(), name => name == "liblua5.4.so.0" ? Loaded : IntPtr.Zero, tried);

        Assert.Equal(Loaded, handle);
        Assert.Equal(["lua54", "liblua-5.4.so.0", "liblua5.4.so.0"], tried);
    }

    [Fact]
    public void Load_NothingLoads_ReturnsZeroAfterEveryName()
    {
        var tried = new List<string>();

        var handle = LuaNativeLibrary.Load(LuaNativeLibrary.Candidates(), _ => IntPtr.Zero, tried);

        Assert.Equal(IntPtr.Zero, handle);
        Assert.Equal(["lua54", "liblua-5.4.so.0", "liblua5.4.so.0", "liblua-5.4.so", "liblua5.4.so"], tried);
    }

    [Fact]
    public void Load_BundledMissingOnThisSystem_LoadsTheSystemsLua54()
    {
        var tried = new List<string>();
        var assembly = typeof(KeraLua.Lua).Assembly;

        // A bundled name that cannot load stands for the glibc build on musl; the system's library must answer.
        var handle = LuaNativeLibrary.Load(LuaNativeLibrary.Candidates("lua54-not-bundled"),
            name => LuaNativeLibrary.TryLoad(name, assembly, null), tried);

        Assert.NotEqual(IntPtr.Zero, handle);
        Assert.Equal("lua54-not-bundled", tried[0]);
        Assert.Contains(tried[^1], LuaNativeLibrary.SystemNames);
        var version = Marshal.GetDelegateForFunctionPointer<LuaVersion>(NativeLibrary.GetExport(handle, "lua_version"));
        Assert.Equal(504, version(IntPtr.Zero));
    }

    [Fact]
    public void Install_KeraLuasAssembly_HasTheResolver()
    {
        LuaNativeLibrary.Install();

        // The runtime allows one resolver per assembly: a second one is refused when ours is in place.
        Assert.Throws<InvalidOperationException>(() =>
            NativeLibrary.SetDllImportResolver(typeof(KeraLua.Lua).Assembly, (_, _, _) => IntPtr.Zero));
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate double LuaVersion(IntPtr state);
}
