using System.Runtime.InteropServices;
using LuaState = KeraLua.Lua;

namespace Acf.Bench;

/// <summary>Where a sandbox start's time goes, from the bottom: a bare Lua state with the sandbox's five libraries
/// (Lua's own allocator), the same with the sandbox's counting allocator (a managed callback per allocation).</summary>
internal sealed record LuaFloorTimings(Timing BareState, Timing CountedState);

internal static class LuaFloor
{
    public static LuaFloorTimings Measure(int runs)
    {
        LuaNativeLibrary.Install();
        return new LuaFloorTimings(Time(runs, () => new LuaState()), Time(runs, () =>
        {
            var budget = new MemoryBudget(64 << 20);
            var handle = GCHandle.Alloc(budget);
            return new LuaState(MemoryBudget.Allocator, GCHandle.ToIntPtr(handle));
        }));
    }

    private static Timing Time(int runs, Func<LuaState> create)
    {
        for (var i = 0; i < 50; i++) Open(create()).Close(); // warm up (JIT, the native library's pages)
        var times = new List<double>(runs);
        var cpu = Timing.ProcessCpu();
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.GetTimestamp();
            Open(create()).Close();
            times.Add(Stopwatch.GetElapsedTime(clock).TotalMicroseconds);
        }
        return Timing.Of(times, Timing.ProcessCpu() - cpu);
    }

    private static LuaState Open(LuaState lua)
    {
        lua.OpenBasicLibrary();
        lua.OpenStringLibrary();
        lua.OpenTableLibrary();
        lua.OpenMathLibrary();
        lua.OpenUTF8Library();
        return lua;
    }
}
