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

    [Theory]
    [InlineData("BrokerRequest")]
    [InlineData("ReadFileRequest")]
    [InlineData("SetAwallPolicy")]
    [InlineData("")]
    public void Resolve_NameOfNoRequest_False(string name) => Assert.False(BrokerRequest.Resolve(name, out _));
}
