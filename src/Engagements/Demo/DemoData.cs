using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Engagements.Demo;

public sealed class DemoOptions
{
    public bool Enabled { get; set; }

    // Total demo customers: the named ones first, then synthetic "Customer 00001"... (benchmarks use 10k-100k).
    public int Customers { get; set; } = 8;
}

public static class DemoData
{
    public const string Switch = "--demo";

    // `dotnet run -- --demo` reads as Demo:Enabled=true. Rewritten before the host parses the command line, which
    // would otherwise take the next argument as the value of "demo".
    public static string[] ExpandSwitch(string[] args) =>
        [.. args.Select(a => string.Equals(a, Switch, StringComparison.OrdinalIgnoreCase) ? "--Demo:Enabled=true" : a)];

    // Register after AddDatabase: hosted services start in order, so the demo data lands after the migrations.
    public static WebApplicationBuilder AddDemoData(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoOptions>().BindConfiguration("Demo");
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddScoped<DemoDataLoader>();
        builder.Services.AddHostedService<DemoDataHostedService>();
        return builder;
    }
}
