namespace Engagements.Bench.Bare;

// A named entry point rather than top-level statements: the Web SDK would generate a global public Program class,
// which clashes with the app's own Program in the benchmark project that references both.
public static class BareEndpointProgram
{
    // Standalone: `dotnet run -c Release --project bench/BareEndpoint -- --urls http://127.0.0.1:5080`.
    // The benchmark hosts the same app in a child process of its own (see BareEndpointApp).
    public static Task Main(string[] args) => BareEndpointApp.Build(args).RunAsync();
}
