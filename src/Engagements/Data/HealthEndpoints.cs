using Microsoft.EntityFrameworkCore;

namespace Engagements.Data;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Text("live"));
        app.MapGet("/readyz", ReadyAsync);
        return app;
    }

    private static async Task<IResult> ReadyAsync(EngagementsDb db, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        try
        {
            // Pending first: a database that does not exist yet (a fresh SQLite file) is "not migrated", not "unreachable".
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                return NotReady("pending migrations", pending);
            }
            return await db.Database.CanConnectAsync(cancellationToken)
                ? TypedResults.Text("ready")
                : NotReady("database unreachable");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            loggers.CreateLogger(typeof(HealthEndpoints)).LogWarning(e, "Readiness check failed");
            return NotReady("database unreachable");
        }
    }

    private static IResult NotReady(string reason, IReadOnlyList<string>? pendingMigrations = null) =>
        TypedResults.Json(new NotReadyBody("not ready", reason, pendingMigrations), statusCode: StatusCodes.Status503ServiceUnavailable);

    private sealed record NotReadyBody(string Status, string Reason, IReadOnlyList<string>? PendingMigrations);
}
