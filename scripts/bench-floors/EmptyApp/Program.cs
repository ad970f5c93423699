var builder = WebApplication.CreateBuilder(args);
builder.Services.AddHostedService<QuietTrim>();
var app = builder.Build();
app.MapGet("/login", () => Results.Content("<!DOCTYPE html><title>login</title>", "text/html"));
app.MapGet("/api/read", () => Results.Json(new { type = "text", value = "alpine" }));
app.Run();
