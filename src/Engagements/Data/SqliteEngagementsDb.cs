using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Engagements.Data;

public sealed class SqliteEngagementsDb(DbContextOptions<SqliteEngagementsDb> options) : EngagementsDb(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // SQLite has no DateTimeOffset type and EF Core stores it as text it cannot compare or ORDER BY. UTC ticks in an
        // INTEGER column sort and compare correctly, so "LastSeenAt < now" and "ORDER BY At" work as on PostgreSQL.
        // The offset is not kept: every instant here is UTC anyway (TimeProvider.GetUtcNow()).
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }

    internal sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        value => value.UtcTicks,
        ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
}

// For `dotnet ef migrations add ... --context SqliteEngagementsDb`; the connection string is never opened.
internal sealed class SqliteEngagementsDbDesignFactory : IDesignTimeDbContextFactory<SqliteEngagementsDb>
{
    public SqliteEngagementsDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteEngagementsDb>().UseSqlite("Data Source=design-time.db").Options);
}
