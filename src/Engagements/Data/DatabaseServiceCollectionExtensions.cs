using Microsoft.EntityFrameworkCore;

namespace Engagements.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

// What the rest of the app (e.g. Quartz's job store) needs to know about the chosen database.
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString, bool MigrateOnStartup);

public static class DatabaseServiceCollectionExtensions
{
    public static WebApplicationBuilder AddDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.AddDatabase(builder.Configuration, builder.Environment);
        return builder;
    }

    // Database:Provider = Sqlite (default) | Postgres; Database:ConnectionString (SQLite defaults to
    // <content root>/data/engagements.db, PostgreSQL requires it); Database:MigrateOnStartup (default true).
    public static IServiceCollection AddDatabase(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var settings = ReadSettings(configuration.GetSection("Database"), environment);
        services.AddSingleton(settings);
        switch (settings.Provider)
        {
            case DatabaseProvider.Postgres:
                services.AddDbContext<PostgresEngagementsDb>(options => CompiledModel.Use<PostgresEngagementsDb>(options.UseNpgsql(settings.ConnectionString)));
                services.AddScoped<EngagementsDb>(sp => sp.GetRequiredService<PostgresEngagementsDb>());
                break;
            default:
                // One for the app: it remembers which native connections it has configured (options are built per scope).
                var connectionSettings = new SqliteConnectionSettings();
                services.AddDbContext<SqliteEngagementsDb>(options => CompiledModel.Use<SqliteEngagementsDb>(options.UseSqlite(settings.ConnectionString))
                    .AddInterceptors(connectionSettings));
                services.AddScoped<EngagementsDb>(sp => sp.GetRequiredService<SqliteEngagementsDb>());
                break;
        }
        services.AddHostedService<DatabaseMigrator>();
        return services;
    }

    private static DatabaseSettings ReadSettings(IConfigurationSection section, IHostEnvironment environment)
    {
        var providerText = section["Provider"];
        var provider = providerText?.Trim().ToLowerInvariant() switch
        {
            null or "" or "sqlite" => DatabaseProvider.Sqlite,
            "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
            _ => throw new InvalidOperationException(
                $"Database:Provider '{providerText}' is not supported; use 'Sqlite' (default) or 'Postgres'."),
        };
        var connectionString = section["ConnectionString"];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (provider == DatabaseProvider.Postgres)
            {
                throw new InvalidOperationException("Database:ConnectionString is required when Database:Provider is Postgres.");
            }
            var folder = Path.Combine(environment.ContentRootPath, "data");
            Directory.CreateDirectory(folder);
            connectionString = $"Data Source={Path.Combine(folder, "engagements.db")}";
        }
        var migrateOnStartup = section.GetValue("MigrateOnStartup", defaultValue: true);
        return new DatabaseSettings(provider, connectionString, migrateOnStartup);
    }
}
