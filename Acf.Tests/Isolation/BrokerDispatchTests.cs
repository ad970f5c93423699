using Acf.Broker.Catalog;
using Acf.Modules.Isolation;
using Acf.Modules.Lua;
using Acf.Broker;

namespace Acf.Tests.Isolation;

/// <summary>The app's dispatch table for the worker protocol.</summary>
public class BrokerDispatchTests
{
    [Fact]
    public void Methods_EveryBrokerMethod_CanBeCalledFromAWorker()
    {
        var brokerMethods = typeof(ISystemBroker).GetMethods().Where(m => !m.IsSpecialName).Select(m => m.Name)
            .Append(nameof(ILuaLibraries.ReadLibrary));

        Assert.Equal(brokerMethods.Order(StringComparer.Ordinal), BrokerDispatch.Methods.Order(StringComparer.Ordinal));
    }
}
