using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddHostedService<QuietTrim>();
var app = builder.Build();
app.UseAntiforgery();
app.MapStaticAssets();
// The bench waits for a 200 on /login, as it does for Acf's login page.
app.MapGet("/login", () => Results.Content("<!DOCTYPE html><title>login</title>", "text/html"));
app.MapRazorComponents<EmptyBlazor.Components.App>()
    .AddInteractiveServerRenderMode(options => options.DisableWebSocketCompression = true);
app.Run();
