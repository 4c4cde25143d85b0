using System.Globalization;
using Engagements.Customers;
using Engagements.Data;
using Engagements.Delivery;
using Engagements.Demo;
using Engagements.Intake;
using Engagements.Usage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Benchmarks;

public sealed record BenchDatabase(DatabaseProvider Provider, string ConnectionString)
{
    public string ProviderName => Provider == DatabaseProvider.Postgres ? "PostgreSQL" : "SQLite";

    public static BenchDatabase Sqlite(string path) => new(DatabaseProvider.Sqlite, $"Data Source={path}");

    public EngagementsDb Open() => Provider == DatabaseProvider.Postgres
        ? new PostgresEngagementsDb(new DbContextOptionsBuilder<PostgresEngagementsDb>().UseNpgsql(ConnectionString).Options)
        : new SqliteEngagementsDb(new DbContextOptionsBuilder<SqliteEngagementsDb>().UseSqlite(ConnectionString).Options);

    /// <summary>Host settings that point the app at this database.</summary>
    public IEnumerable<KeyValuePair<string, string>> HostSettings() =>
    [
        new("Database:Provider", Provider == DatabaseProvider.Postgres ? "Postgres" : "Sqlite"),
        new("Database:ConnectionString", ConnectionString),
    ];
}

/// <summary>
/// Synthetic customers with what the health sweep reads: an active engagement with deliverables (some blocked), and
/// <c>days</c> days of usage (one event per customer and day, by rotating users and features), weekly seat readings,
/// weekly attendance, two support-ticket counts and an NPS answer. Customer n is the same in every run.
/// </summary>
public static class BenchData
{
    private static readonly string[] Features = ["Dashboards", "Workflow Automation", "Reports", "API Access", "Mobile", "Integrations"];
    private static readonly LifecycleStage[] Stages = [LifecycleStage.Onboarding, LifecycleStage.Adoption, LifecycleStage.Live, LifecycleStage.Renewal];

    public static async Task MigrateAsync(BenchDatabase database, CancellationToken cancellationToken)
    {
        await using var db = database.Open();
        await DatabaseMigrator.MigrateAsync(db, cancellationToken);
    }

    /// <summary>Adds customers <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive), in chunks.</summary>
    public static async Task AddCustomersAsync(BenchDatabase database, int from, int to, int usageDays, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const int Chunk = 5_000;
        for (var start = from; start < to; start += Chunk)
        {
            var end = Math.Min(to, start + Chunk);
            await using var db = database.Open();
            var loader = new BulkLoader(db);
            var customers = new List<Customer>(end - start);
            var opportunities = new List<Opportunity>(end - start);
            var engagements = new List<Engagement>(end - start);
            var projects = new List<Project>(end - start);
            var deliverables = new List<Deliverable>((end - start) * 4);
            var usage = new List<UsageEvent>((end - start) * usageDays);
            var seats = new List<SeatReading>((end - start) * 5);
            var signals = new List<Signal>((end - start) * 7);
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            for (var n = start; n < end; n++)
            {
                var customer = new Customer
                {
                    CrmId = CrmId(n), Name = Name(n), Segment = (CustomerSegment)(n % 5), Lifecycle = Stages[n % Stages.Length],
                    SupportLevel = "Standard", SeatsPurchased = 50 + n % 950, CsmName = DemoDataLoader.Adele.Name, CsmAadObjectId = DemoDataLoader.Adele.AadObjectId,
                    ProductVersion = n % 3 == 0 ? "2024.4" : "2025.2", CreatedAt = now.AddDays(-400), UpdatedAt = now,
                };
                customers.Add(customer);
                var opportunity = new Opportunity
                {
                    CrmId = "BENCH-OPP-" + n.ToString("D6", CultureInfo.InvariantCulture), CustomerId = customer.Id, Kind = OpportunityKind.New,
                    Stage = OpportunityStage.ClosedWon, CloseDate = today.AddDays(-(n % 300) - 14), Amount = customer.SeatsPurchased * 240m,
                    ContractReference = "CTR-BENCH-" + n.ToString("D6", CultureInfo.InvariantCulture), ReceivedAt = now.AddDays(-(n % 300) - 14), UpdatedAt = now,
                };
                opportunities.Add(opportunity);
                var engagement = Engagement.StartFor(opportunity, opportunity.CloseDate.AddDays(7), opportunity.CloseDate.AddDays(7).AddYears(1), opportunity.ReceivedAt);
                engagement.Status = EngagementStatus.Active;
                engagements.Add(engagement);
                var project = new Project { EngagementId = engagement.Id, Name = "Onboarding", CreatedAt = opportunity.ReceivedAt };
                projects.Add(project);
                for (var i = 0; i < 4; i++)
                {
                    var blocked = i == 2 && n % 7 == 0;
                    deliverables.Add(new Deliverable
                    {
                        ProjectId = project.Id, Title = "Deliverable " + i.ToString(CultureInfo.InvariantCulture), Status = (DeliverableStatus)((n + i) % 4),
                        SortOrder = i, DueDate = today.AddDays(-20 + 15 * i), UpdatedAt = now, IsBlocked = blocked,
                        BlockedReason = blocked ? "Waiting for the customer" : null, BlockedSince = blocked ? now.AddDays(-4) : null,
                    });
                }

                for (var day = 0; day < usageDays; day++)
                {
                    var at = now.AddDays(-day).AddMinutes(-(n % 600));
                    usage.Add(new UsageEvent
                    {
                        EventId = $"bench-{n}-{day}", CustomerId = customer.Id, UserId = $"user{(n + day) % 9}@c{n}.example",
                        Feature = Features[(n + day) % Features.Length], OccurredAt = at, ProductVersion = customer.ProductVersion, ReceivedAt = at,
                    });
                }

                for (var week = 0; week * 7 < usageDays; week++)
                {
                    var at = now.AddDays(-7 * week).AddHours(-1);
                    seats.Add(new SeatReading { CustomerId = customer.Id, ActiveSeats = customer.SeatsPurchased * (30 + (n + week) % 70) / 100, At = at, ReceivedAt = at });
                    if (week < 4)
                    {
                        signals.Add(new Signal { CustomerId = customer.Id, Kind = SignalKind.MeetingAttendance, Value = 55 + (n + week) % 45, At = at, ReceivedAt = at });
                    }

                    if (week < 2)
                    {
                        signals.Add(new Signal { CustomerId = customer.Id, Kind = SignalKind.SupportTickets, Value = (n + week) % 6, At = at, ReceivedAt = at });
                    }
                }

                signals.Add(new Signal { CustomerId = customer.Id, Kind = SignalKind.Nps, Value = n % 11, At = now.AddDays(-10), ReceivedAt = now.AddDays(-10) });
            }

            await loader.InsertAsync(customers, cancellationToken);
            await loader.InsertAsync(opportunities, cancellationToken);
            await loader.InsertAsync(engagements, cancellationToken);
            await loader.InsertAsync(projects, cancellationToken);
            await loader.InsertAsync(deliverables, cancellationToken);
            await loader.InsertAsync(usage, cancellationToken);
            await loader.InsertAsync(seats, cancellationToken);
            await loader.InsertAsync(signals, cancellationToken);
        }

        // Fresh statistics, as a production database would have; otherwise the planner guesses on a bulk-loaded table.
        await using (var db = database.Open())
        {
            await db.Database.ExecuteSqlRawAsync(database.Provider == DatabaseProvider.Postgres ? "ANALYZE" : "ANALYZE; PRAGMA optimize;", cancellationToken);
        }

        if (database.Provider == DatabaseProvider.Sqlite)
        {
            SqliteConnection.ClearAllPools();
        }
    }

    /// <summary>Sanity check that what BulkLoader wrote reads back through EF Core (Guid text, ticks, enum text).</summary>
    public static async Task VerifyAsync(BenchDatabase database, int expectedCustomers, CancellationToken cancellationToken)
    {
        await using var db = database.Open();
        var crmId = CrmId(expectedCustomers - 1);
        var customer = await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.CrmId == crmId, cancellationToken)
            ?? throw new InvalidOperationException($"Generated customer {crmId} does not read back");
        var events = await db.UsageEvents.CountAsync(u => u.CustomerId == customer.Id, cancellationToken);
        var count = await db.Customers.CountAsync(c => c.CrmId.StartsWith("BENCH-"), cancellationToken);
        if (events == 0 || count != expectedCustomers || customer.Lifecycle != Stages[(expectedCustomers - 1) % Stages.Length])
        {
            throw new InvalidOperationException($"Generated data does not read back: {count} customers (expected {expectedCustomers}), {events} events for {crmId}");
        }
    }

    /// <summary>Removes what a sweep wrote (today's snapshots, alerts, outbox posts), so each size starts from the same state.</summary>
    public static async Task ResetSweepOutputAsync(BenchDatabase database, CancellationToken cancellationToken)
    {
        await using var db = database.Open();
        await ResetSweepOutputAsync(db, cancellationToken);
    }

    public static async Task ResetSweepOutputAsync(EngagementsDb db, CancellationToken cancellationToken)
    {
        await db.HealthSnapshots.ExecuteDeleteAsync(cancellationToken);
        await db.Alerts.ExecuteDeleteAsync(cancellationToken);
        await db.OutboxMessages.ExecuteDeleteAsync(cancellationToken);
        await db.AuditEntries.ExecuteDeleteAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", cancellationToken);
        }
    }

    public static string CrmId(int n) => "BENCH-" + n.ToString("D6", CultureInfo.InvariantCulture);

    public static string Name(int n) => "Bench Customer " + n.ToString("D6", CultureInfo.InvariantCulture);
}
