using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Engagements.Data;

public sealed class PostgresEngagementsDb(DbContextOptions<PostgresEngagementsDb> options) : EngagementsDb(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // Npgsql refuses to write a timestamptz with a non-zero offset; SQLite (UTC ticks) accepts any offset. Normalising
        // here keeps e.g. a webhook's "occurredAt": "...+02:00" working the same on both providers.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<ToUtcConverter>();
    }

    internal sealed class ToUtcConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
        value => value.ToUniversalTime(),
        value => value);
}

// For `dotnet ef migrations add ... --context PostgresEngagementsDb`; the connection string is never opened.
internal sealed class PostgresEngagementsDbDesignFactory : IDesignTimeDbContextFactory<PostgresEngagementsDb>
{
    public PostgresEngagementsDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresEngagementsDb>().UseNpgsql("Host=localhost;Database=engagements_design").Options);
}
