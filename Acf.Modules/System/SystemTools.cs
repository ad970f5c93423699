using Acf.Modules.System.Apk;
using Acf.Modules.System.Lbu;
using Acf.Modules.System.OpenRc;

namespace Acf.Modules.System;

/// <summary>The host's OpenRC, apk and lbu, for the mode the broker runs in (the real tools, or the demo host's C#).</summary>
public sealed record SystemTools(IServiceManager Services, IPackageManager Packages, ILbu Lbu);
