using System.Data.Common;
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
        // The app's own database, read through a context that counts the commands it runs.
        var counter = new CommandCounter();
        var settings = app.Services.GetRequiredService<DatabaseSettings>();
        await using var db = new SqliteEngagementsDb(new DbContextOptionsBuilder<SqliteEngagementsDb>()
            .UseSqlite(settings.ConnectionString).AddInterceptors(counter).Options);
        var contoso = await db.Customers.Where(c => c.Name == "Contoso").Select(c => c.Id).SingleAsync();
        counter.Count = 0;

        var view = await new StatusService(db, app.Clock).BuildAsync(contoso, CancellationToken.None);

        Assert.NotNull(view);
        Assert.NotEmpty(view.Milestones);
        Assert.NotEmpty(view.Blockers);
        Assert.InRange(counter.Count, 1, 8);
    }

    private sealed class CommandCounter : DbCommandInterceptor
    {
        public int Count { get; set; }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Count++;
            return ValueTask.FromResult(result);
        }
    }
}
