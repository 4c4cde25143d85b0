using System.Reflection;
using Microsoft.Extensions.Hosting;

namespace Engagements.Benchmarks;

/// <summary>
/// THE ONE PLACE to adjust when a feature's entry point is renamed. The benchmarks reach features that are built on
/// other branches (health sweep, triggers, outbox sender) by name, through the app's own DI container, so this
/// project compiles on every branch and reports "not available on this build" where a seam is missing.
/// </summary>
public static class Seams
{
    /// <summary>One full health + trigger evaluation: run in this order; the first step is required for the benchmark.</summary>
    public static readonly SeamMethod[] HealthSweep =
    [
        new("health scores for all customers", "Engagements.Health.HealthService", "ComputeAllAsync"),
        new("early-warning triggers", "Engagements.Onboarding.OnboardingTriggers", "EvaluateAsync"),
    ];

    /// <summary>The outbox's own background loop (hosted service); when absent, the one-pass method is called in a loop.</summary>
    public const string OutboxBackgroundService = "Engagements.Outbox.OutboxBackgroundService";

    public static readonly SeamMethod OutboxOnePass = new("outbox delivery pass", "Engagements.Outbox.OutboxSender", "DeliverDueAsync");

    /// <summary>The reply the bot gives on a build where `status` is not implemented yet (CommandRouter's default).</summary>
    public const string StatusNotImplementedMarker = "is coming soon";

    public static Assembly App => typeof(Program).Assembly;

    public static bool HasHostedService(IServiceProvider services, string typeName) =>
        services.GetServices<IHostedService>().Any(s => s.GetType().FullName == typeName);
}

/// <summary>A public async method on an app service that takes only a CancellationToken.</summary>
public sealed record SeamMethod(string Description, string TypeName, string MethodName)
{
    public Type? Type => Seams.App.GetType(TypeName);

    public MethodInfo? Method => Type?.GetMethod(MethodName, BindingFlags.Public | BindingFlags.Instance, [typeof(CancellationToken)]);

    public bool IsAvailable => Method is not null && typeof(Task).IsAssignableFrom(Method.ReturnType);

    public string Missing => Type is null ? $"{TypeName} is not on this build" : $"{TypeName}.{MethodName}(CancellationToken) is not on this build";

    /// <summary>Resolves the service from <paramref name="services"/> (or builds it with its dependencies) and awaits the call.</summary>
    public async Task<object?> InvokeAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var type = Type ?? throw new InvalidOperationException(Missing);
        var method = Method ?? throw new InvalidOperationException(Missing);
        var target = services.GetService(type) ?? ActivatorUtilities.CreateInstance(services, type);
        var task = (Task)method.Invoke(target, [cancellationToken])!;
        await task;
        return task.GetType().IsGenericType ? task.GetType().GetProperty("Result")?.GetValue(task) : null;
    }
}
