using Microsoft.EntityFrameworkCore;

namespace Engagements.Tests.Data;

public sealed class SqliteConnectionSettingsTests(EngagementsApplication app) : IClassFixture<EngagementsApplication>
{
    [Fact]
    public async Task Every_connection_the_app_opens_waits_inside_SQLite_for_the_lock_and_commits_without_fsync()
    {
        // Several opens, so pooled connections that were configured earlier are checked too.
        for (var open = 0; open < 3; open++)
        {
            var (busyTimeout, synchronous) = await app.QueryAsync(async db =>
            {
                await db.Database.OpenConnectionAsync();
                try
                {
                    return (await Pragma(db, "busy_timeout"), await Pragma(db, "synchronous"));
                }
                finally
                {
                    await db.Database.CloseConnectionAsync();
                }
            });

            Assert.Equal(30000, busyTimeout);
            Assert.Equal(1, synchronous); // NORMAL
        }
    }

    private static async Task<long> Pragma(Engagements.Data.EngagementsDb db, string name)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
