using System.Text.Json.Serialization;
using Acf.Broker.Apk;
using Acf.Broker.Lbu;
using Acf.Broker.OpenRc;
using Acf.Modules.Privsep;

namespace Acf.Modules.Isolation;

/// <summary>
/// How every body that crosses the pipes is written and read (the worker's, the broker socket's): made when Acf is
/// built, not found by reflection when it runs, because the broker and the workers are compiled ahead of time
/// (Acf.Helper) and there reflection finds nothing that was not named. <see cref="WorkerFrame.Json"/> keeps the
/// protocol's rules (strict reading, byte-exact strings) and takes the types from here. Every broker request and its
/// result is listed; <c>BrokerDispatchTests</c> fails while one is missing. Enums cross as their names.
/// </summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JsonElement))] // a frame read and written again as it is
[JsonSerializable(typeof(WorkerRun))]
[JsonSerializable(typeof(WorkerLogLine))]
[JsonSerializable(typeof(WorkerStep))]
[JsonSerializable(typeof(SandboxOutcome))]
[JsonSerializable(typeof(LibraryRequest))]
[JsonSerializable(typeof(LibrarySource))]
[JsonSerializable(typeof(BrokerSocketCall))]
[JsonSerializable(typeof(BrokerHello))]
[JsonSerializable(typeof(BrokerWorkerStarted))]
[JsonSerializable(typeof(BrokerResult<object>))] // a call the broker threw on, whatever its result type
[JsonSerializable(typeof(ApkRequest))]
[JsonSerializable(typeof(AuditAppendsRequest))]
[JsonSerializable(typeof(AuditEventRequest))]
[JsonSerializable(typeof(AuditQueryRequest))]
[JsonSerializable(typeof(AuditVerifyRequest))]
[JsonSerializable(typeof(ExecRequest))]
[JsonSerializable(typeof(HistoryFilesRequest))]
[JsonSerializable(typeof(HistoryRequest))]
[JsonSerializable(typeof(LbuChangeRequest))]
[JsonSerializable(typeof(LbuReadRequest))]
[JsonSerializable(typeof(LinkRequest))]
[JsonSerializable(typeof(ListDirectoryRequest))]
[JsonSerializable(typeof(ListRunlevelsRequest))]
[JsonSerializable(typeof(ListServicesRequest))]
[JsonSerializable(typeof(MakeDirectoryRequest))]
[JsonSerializable(typeof(ReadFileRequest))]
[JsonSerializable(typeof(ReadPackagesRequest))]
[JsonSerializable(typeof(RemoveFileRequest))]
[JsonSerializable(typeof(RestoreFileRequest))]
[JsonSerializable(typeof(ServiceControlRequest))]
[JsonSerializable(typeof(ServiceRunlevelsRequest))]
[JsonSerializable(typeof(StatFilesRequest))]
[JsonSerializable(typeof(WatchHostFilesRequest))]
[JsonSerializable(typeof(StatRequest))]
[JsonSerializable(typeof(VersionRequest))]
[JsonSerializable(typeof(WriteFileRequest))]
[JsonSerializable(typeof(WriteNewKeyRequest))]
[JsonSerializable(typeof(BrokerResult<ApkListing>))]
[JsonSerializable(typeof(BrokerResult<AuditPage>))]
[JsonSerializable(typeof(BrokerResult<AuditVerification>))]
[JsonSerializable(typeof(BrokerResult<ExecResult>))]
[JsonSerializable(typeof(BrokerResult<FileContent>))]
[JsonSerializable(typeof(BrokerResult<FileStatus>))]
[JsonSerializable(typeof(BrokerResult<IReadOnlyList<DirectoryEntry>>))]
[JsonSerializable(typeof(BrokerResult<IReadOnlyList<FileStatus>>))]
[JsonSerializable(typeof(BrokerResult<IReadOnlyList<FileVersion>>))]
[JsonSerializable(typeof(BrokerResult<IReadOnlyList<ServiceInfo>>))]
[JsonSerializable(typeof(BrokerResult<IReadOnlyList<string>>))]
[JsonSerializable(typeof(BrokerResult<LbuReport>))]
[JsonSerializable(typeof(BrokerResult<LinkResult>))]
[JsonSerializable(typeof(BrokerResult<MakeDirectoryResult>))]
[JsonSerializable(typeof(BrokerResult<NewKeyResult>))]
[JsonSerializable(typeof(BrokerResult<WriteFileResult>))]
[JsonSerializable(typeof(BrokerResult<bool>))]
[JsonSerializable(typeof(BrokerResult<long>))]
internal sealed partial class WireJson : JsonSerializerContext;
