using Acf.Broker.Apk;
using Acf.Broker.Lbu;
using Acf.Broker.OpenRc;

namespace Acf.Broker;

/// <summary>The host's OpenRC, apk and lbu, for the mode the broker runs in (the real tools, or the demo host's C#).</summary>
internal sealed record SystemTools(IServiceManager Services, IPackageManager Packages, ILbu Lbu);
