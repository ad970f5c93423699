namespace Acf.Tests.Isolation;

/// <summary>The broker's request records as the worker protocol names them.</summary>
public class BrokerDispatchTests
{
    [Fact]
    public void Methods_EveryRequestRecord_CanBeCalledFromAWorkerByItsName()
    {
        var records = typeof(BrokerRequest).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.IsSubclassOf(typeof(BrokerRequest)))
            .Select(t => t.Name[..^"Request".Length]);

        Assert.Equal(records.Append(BrokerDispatch.ReadLibrary).Order(StringComparer.Ordinal),
            BrokerDispatch.Methods.Order(StringComparer.Ordinal));
        Assert.Equal("ReadFile", BrokerRequest.WireName(new ReadFileRequest("/x")));
        Assert.True(BrokerRequest.Resolve("ListServices", out var type));
        Assert.Equal(typeof(ListServicesRequest), type);
    }

    [Fact]
    public void WireJson_EveryRequestRecordAndItsResult_IsWrittenWithoutReflection()
    {
        // The broker and the workers run compiled ahead of time: a type the pipes' JSON does not list cannot cross.
        foreach (var record in BrokerRequest.All.Values)
        {
            var result = record.BaseType!.GetGenericArguments()[0];
            foreach (var type in new[] { record, typeof(BrokerResult<>).MakeGenericType(result) })
                Assert.True(WireJson.Default.GetTypeInfo(type) is not null, $"{type} is missing from WireJson");
        }
    }

    [Fact]
    public void Encode_AnEnum_CrossesAsItsName()
    {
        using var frame = WorkerFrame.Read(new MemoryStream(WorkerFrame.Encode(WorkerFrame.Call, "ServiceControl",
            new ServiceControlRequest("sshd", Acf.Broker.OpenRc.ServiceVerb.Restart))))!;

        Assert.Equal("Restart", frame.Body.GetProperty("Verb").GetString());
        Assert.Equal(Acf.Broker.OpenRc.ServiceVerb.Restart, frame.Read<ServiceControlRequest>().Verb);
    }

    [Theory]
    [InlineData("BrokerRequest")]
    [InlineData("ReadFileRequest")]
    [InlineData("SetAwallPolicy")]
    [InlineData("")]
    public void Resolve_NameOfNoRequest_False(string name) => Assert.False(BrokerRequest.Resolve(name, out _));
}
