using Hikyaku.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddHikyaku();

var app = builder.Build();
app.MapHikyaku();
app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Print(app));
app.Run();

/// <summary>Visible to the end-to-end tests (WebApplicationFactory-style hosting).</summary>
public partial class Program;
