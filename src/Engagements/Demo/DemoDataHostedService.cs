using Microsoft.Extensions.Options;

namespace Engagements.Demo;

internal sealed partial class DemoDataHostedService(
    IServiceScopeFactory scopes, IOptions<DemoOptions> options, ILogger<DemoDataHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<DemoDataLoader>().LoadAsync(cancellationToken);
        if (result.Loaded)
        {
            LogLoaded(logger, result.Customers, result.Engagements);
        }
        else
        {
            LogAlreadyThere(logger);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data loaded: {Customers} customers, {Engagements} engagements")]
    private static partial void LogLoaded(ILogger logger, int customers, int engagements);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data already present; nothing loaded")]
    private static partial void LogAlreadyThere(ILogger logger);
}
