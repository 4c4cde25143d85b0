using System.Diagnostics;
using Engagements.Data;
using Engagements.Standup;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Engagements.Tests.Standup;

public class StatusQueryCountTests(EngagementsApplication app) : IClassFixture<EngagementsApplication>
{
    [Fact]
    public async Task Status_is_built_with_a_handful_of_queries_however_many_deliverables_and_checklist_items_there_are()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EngagementsDb>();
        var contoso = await db.Customers.Where(c => c.Name == "Contoso").Select(c => c.Id).SingleAsync();
        var service = scope.ServiceProvider.GetRequiredService<StatusService>();
        using var counter = new CommandCounter(db);

        var view = await service.BuildAsync(contoso, CancellationToken.None);

        Assert.NotNull(view);
        Assert.NotEmpty(view.Milestones);
        Assert.InRange(counter.Count, 1, 6);
    }

    // Counts the commands EF Core runs for one DbContext, through its diagnostic events (logging levels don't matter).
    private sealed class CommandCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly DbContext context;
        private readonly IDisposable allListeners;
        private readonly List<IDisposable> subscriptions = [];
        private int count;

        public CommandCounter(DbContext counted)
        {
            context = counted;
            allListeners = DiagnosticListener.AllListeners.Subscribe(this);
        }

        public int Count => count;

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == DbLoggerCategory.Name)
            {
                lock (subscriptions)
                {
                    subscriptions.Add(listener.Subscribe(this));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == RelationalEventId.CommandExecuting.Name && value.Value is CommandEventData data && ReferenceEquals(data.Context, context))
            {
                Interlocked.Increment(ref count);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            allListeners.Dispose();
            lock (subscriptions)
            {
                subscriptions.ForEach(s => s.Dispose());
            }
        }
    }
}
