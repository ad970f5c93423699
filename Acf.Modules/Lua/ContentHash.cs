using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace Acf.Modules.Lua;

/// <summary>
/// The SHA-256 of a chunk's source, as hex: what the bytecode cache and the workers' library caches are keyed by, so
/// the same text is compiled once however it arrives (from the catalog, over a worker's pipe) and an edited file is
/// compiled again. The catalog hands out the same array while a file is unchanged, so the hash of an array is
/// remembered by identity and computed once per version of a file.
/// </summary>
internal static class ContentHash
{
    private static readonly ConditionalWeakTable<byte[], string> Known = new();

    public static string Of(byte[] source) => Known.GetValue(source, static s => Convert.ToHexStringLower(SHA256.HashData(s)));
}
