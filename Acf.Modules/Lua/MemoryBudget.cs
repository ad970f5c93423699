using System.Runtime.InteropServices;
using KeraLua;

namespace Acf.Modules.Lua;

/// <summary>
/// One Lua state's memory account and the allocator that keeps it (<c>lua_Alloc</c>): every byte the state holds is
/// counted and growth past the limit is refused (Lua then raises "not enough memory" itself). While a host function
/// runs (<see cref="Reserve"/>), growth up to twice the limit is allowed: an allocation failure there would raise a
/// Lua error inside C# code, which must never happen. The overshoot is caught by the next hook, which stops the module.
/// A state that serves several actions starts each with <see cref="Start"/>: that action's limit, nothing exceeded.
/// </summary>
internal sealed class MemoryBudget(long limit)
{
    private long _limit = limit;

    /// <summary>The allocator of every state; static because native code keeps calling it until <c>lua_close</c>.
    /// Its user data is a <see cref="GCHandle"/> of the state's budget.</summary>
    public static readonly LuaAlloc Allocator = Allocate;

    public long Used;
    public bool Exceeded;
    public bool Reserve;

    public long Limit => _limit;

    public long CurrentLimit => Reserve ? _limit * 2 : _limit;

    /// <summary>True when a host function may still hand the state <paramref name="bytes"/> more.</summary>
    public bool HasRoomFor(long bytes) => Used + bytes + (1 << 16) < _limit * 2;

    /// <summary>The account of a new action: its limit, nothing exceeded, no reserve (what the state holds stays counted).</summary>
    public void Start(long limit)
    {
        _limit = limit;
        Exceeded = false;
        Reserve = false;
    }

    private static IntPtr Allocate(IntPtr ud, IntPtr ptr, UIntPtr osize, UIntPtr nsize)
    {
        var budget = (MemoryBudget)GCHandle.FromIntPtr(ud).Target!;
        var oldSize = ptr == IntPtr.Zero ? 0L : (long)osize; // with ptr NULL, osize is a type tag, not a size
        var newSize = (long)nsize;
        if (newSize == 0)
        {
            if (ptr != IntPtr.Zero) Marshal.FreeHGlobal(ptr);
            budget.Used -= oldSize;
            return IntPtr.Zero;
        }
        var growth = newSize - oldSize;
        if (growth > 0 && budget.Used + growth > budget.CurrentLimit)
        {
            budget.Exceeded = true;
            return IntPtr.Zero;
        }
        try
        {
            var block = ptr == IntPtr.Zero ? Marshal.AllocHGlobal((IntPtr)newSize) : Marshal.ReAllocHGlobal(ptr, (IntPtr)newSize);
            budget.Used += growth;
            return block;
        }
        catch (OutOfMemoryException)
        {
            budget.Exceeded = true;
            return IntPtr.Zero;
        }
    }
}
