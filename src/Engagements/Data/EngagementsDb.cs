using Engagements.AccountAccess;
using Engagements.Alerts;
using Engagements.Assignments;
using Engagements.Audit;
using Engagements.Conversations;
using Engagements.Customers;
using Engagements.Delivery;
using Engagements.Engineers;
using Engagements.Health;
using Engagements.Intake;
using Engagements.Onboarding;
using Engagements.Outbox;
using Engagements.Playbooks;
using Engagements.PostClose;
using Engagements.Roles;
using Engagements.Usage;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Data;

// The model, shared by both providers. SqliteEngagementsDb and PostgresEngagementsDb only choose the provider,
// add provider conventions, and own their migration sets; app code injects EngagementsDb.
public abstract class EngagementsDb(DbContextOptions options) : DbContext(options)
{
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<AccessListEntry> AccessListEntries => Set<AccessListEntry>();
    public DbSet<Opportunity> Opportunities => Set<Opportunity>();
    public DbSet<Engagement> Engagements => Set<Engagement>();
    public DbSet<EngagementEngineer> EngagementEngineers => Set<EngagementEngineer>();
    public DbSet<Project> Projects => Set<Project>();
    public DbSet<Deliverable> Deliverables => Set<Deliverable>();
    public DbSet<EngineerProfile> Engineers => Set<EngineerProfile>();
    public DbSet<AssignmentRequest> AssignmentRequests => Set<AssignmentRequest>();
    public DbSet<AccountRequest> AccountRequests => Set<AccountRequest>();
    public DbSet<AccountRequestFollowUp> AccountRequestFollowUps => Set<AccountRequestFollowUp>();
    public DbSet<OnboardingPlan> OnboardingPlans => Set<OnboardingPlan>();
    public DbSet<PlanPhase> PlanPhases => Set<PlanPhase>();
    public DbSet<ChecklistItem> ChecklistItems => Set<ChecklistItem>();
    public DbSet<PostCloseChecklist> PostCloseChecklists => Set<PostCloseChecklist>();
    public DbSet<PostCloseItem> PostCloseItems => Set<PostCloseItem>();
    public DbSet<HealthSnapshot> HealthSnapshots => Set<HealthSnapshot>();
    public DbSet<UsageEvent> UsageEvents => Set<UsageEvent>();
    public DbSet<SeatReading> SeatReadings => Set<SeatReading>();
    public DbSet<Signal> Signals => Set<Signal>();
    public DbSet<Alert> Alerts => Set<Alert>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<StoredConversation> Conversations => Set<StoredConversation>();
    public DbSet<ChannelBinding> ChannelBindings => Set<ChannelBinding>();
    public DbSet<RoleAssignment> RoleAssignments => Set<RoleAssignment>();
    public DbSet<ProcessedActivity> ProcessedActivities => Set<ProcessedActivity>();
    public DbSet<PlaybookRun> PlaybookRuns => Set<PlaybookRun>();
    public DbSet<EmailUnsubscribe> EmailUnsubscribes => Set<EmailUnsubscribe>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        BumpVersions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        BumpVersions();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(EngagementsDb).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored as their display text (see StoredText), readable in SQL and stable across reordering.
        foreach (var enumType in typeof(EngagementsDb).Assembly.GetTypes().Where(t => t.IsEnum && t.IsPublic))
        {
            configurationBuilder.Properties(enumType)
                .HaveConversion(typeof(StoredTextConverter<>).MakeGenericType(enumType))
                .HaveMaxLength(64);
        }
    }

    // The original Version stays the concurrency check; the new one is what this save writes.
    private void BumpVersions()
    {
        foreach (var entry in ChangeTracker.Entries<IVersioned>())
        {
            if (entry.State == EntityState.Modified)
            {
                entry.Entity.Version++;
            }
        }
    }
}
