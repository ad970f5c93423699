using Acf.Modules;
using Acf.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddAcfConfiguration();
builder.AddAcfModules();
builder.AddAcfWeb();

var app = builder.Build();
app.MapAcf();
app.Run();

/// <summary>The entry point, public so that WebApplicationFactory can start the app in tests.</summary>
public partial class Program;
