using Engagements.Assignments;
using Engagements.Audit;
using Engagements.Customers;
using Engagements.Data;
using Engagements.Delivery;
using Engagements.PostClose;
using Microsoft.EntityFrameworkCore;

namespace Engagements.Intake;

public enum IntakeStatus
{
    /// <summary>Closed-won: the engagement was created now.</summary>
    EngagementCreated,
    /// <summary>The opportunity already has its engagement (a replay); nothing new was created.</summary>
    AlreadyProcessed,
    /// <summary>Not closed-won: the opportunity is stored, no engagement.</summary>
    Stored,
    /// <summary>Broken rules; nothing was written.</summary>
    Invalid,
}

public sealed record IntakeResult(
    IntakeStatus Status,
    IReadOnlyList<RuleViolation> Violations,
    Guid? OpportunityId = null,
    Guid? CustomerId = null,
    Guid? EngagementId = null,
    Guid? AssignmentRequestId = null,
    bool ApprovalCardPosted = false,
    string? ChecklistSentTo = null);

public sealed record IntakeContext(AuditActor Actor, AuditSource Source, string? ManagerAadObjectId = null, string? ManagerName = null);

/// <summary>
/// Closed-won intake (SPEC §3.1), shared by the CRM webhook and the `new engagement` form: validate the whole input,
/// then create or update the customer and opportunity and, for a closed-won one, the engagement with its projects,
/// deliverables, the Assign engineer approval and the pre-sales engineer's post-close checklist, all in one SaveChanges.
/// </summary>
public sealed class IntakeService(
    EngagementsDb db,
    SegmentRules segments,
    AssignmentService assignments,
    PostCloseService postClose,
    AuditLog audit,
    TimeProvider clock)
{
    public async Task<IntakeResult> IntakeAsync(OpportunityPayload payload, IntakeContext context, CancellationToken cancellationToken)
    {
        var violations = IntakeValidator.Validate(payload);
        if (violations.Count > 0)
        {
            return Invalid(violations);
        }

        // Two deliveries of the same new opportunity can race; the unique CRM ids let one win, the other is then a replay.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ApplyAsync(payload, context, cancellationToken);
            }
            catch (DbUpdateException) when (attempt == 1)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<IntakeResult> ApplyAsync(OpportunityPayload payload, IntakeContext context, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        IntakeValidator.TryParseKind(payload.Kind, out var kind);
        IntakeValidator.TryParseStage(payload.Stage, out var stage);
        var crmId = payload.OpportunityId!.Trim();
        var input = payload.Customer!;

        var opportunity = await db.Opportunities
            .Include(o => o.Engagement)
            .SingleOrDefaultAsync(o => o.CrmId == crmId, cancellationToken);
        var customer = await db.Customers
            .Include(c => c.AccessList)
            .SingleOrDefaultAsync(c => c.CrmId == input.CrmId!.Trim(), cancellationToken);
        if (opportunity is not null && (customer is null || opportunity.CustomerId != customer.Id))
        {
            return Invalid([new("customer.crmId", $"Opportunity {crmId} belongs to another customer.")]);
        }
        if (opportunity?.Engagement is not null && stage != OpportunityStage.ClosedWon)
        {
            return Invalid([new("stage", $"Opportunity {crmId} already has an engagement; it cannot leave '{StoredText.Of(OpportunityStage.ClosedWon)}'.")]);
        }

        customer = UpsertCustomer(customer, input, payload.Amount!.Value, context, now);
        ImportAccessList(customer, payload.AccessList, context);
        opportunity = UpsertOpportunity(opportunity, customer, crmId, kind, stage, payload, context, now);

        if (opportunity.Engagement is { } existing)
        {
            await db.SaveChangesAsync(cancellationToken);
            return new(IntakeStatus.AlreadyProcessed, [], opportunity.Id, customer.Id, existing.Id);
        }
        if (!opportunity.IsClosedWon)
        {
            await db.SaveChangesAsync(cancellationToken);
            return new(IntakeStatus.Stored, [], opportunity.Id, customer.Id);
        }

        if (customer.Lifecycle == LifecycleStage.Prospect)
        {
            audit.Record(context.Actor, context.Source, "lifecycle-changed", nameof(Customer), customer.Id.ToString(),
                new { lifecycle = StoredText.Of(customer.Lifecycle) }, new { lifecycle = StoredText.Of(LifecycleStage.Onboarding) },
                $"Opportunity {crmId} closed-won");
            customer.Lifecycle = LifecycleStage.Onboarding;
            customer.UpdatedAt = now;
        }

        var engagement = CreateEngagement(opportunity, customer, payload, context, now);
        var opened = await assignments.OpenAsync(engagement, customer, opportunity, context.Actor, context.Source, cancellationToken);
        var checklist = await postClose.OpenAsync(engagement, customer, opportunity, payload.PresalesEngineer, context.Actor, context.Source, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new(IntakeStatus.EngagementCreated, [], opportunity.Id, customer.Id, engagement.Id, opened.Request.Id, opened.CardPosted, checklist.SentTo);
    }

    private Customer UpsertCustomer(Customer? customer, CustomerPayload input, decimal amount, IntakeContext context, DateTimeOffset now)
    {
        var isNew = customer is null;
        var before = customer is null ? null : Snapshot(customer);
        customer ??= new Customer
        {
            CrmId = input.CrmId!.Trim(),
            Name = input.Name!.Trim(),
            Lifecycle = LifecycleStage.Prospect,
            CreatedAt = now,
        };
        customer.Name = input.Name!.Trim();
        customer.SeatsPurchased = input.Seats!.Value;
        customer.SupportLevel = Trimmed(input.SupportLevel) ?? customer.SupportLevel;
        customer.CsmEmail = input.CsmEmail!.Trim();
        customer.CsmName = Trimmed(input.CsmName) ?? customer.CsmName;
        customer.ProductVersion = Trimmed(input.ProductVersion) ?? customer.ProductVersion;
        customer.ContactName = Trimmed(input.ContactName) ?? customer.ContactName;
        customer.ContactEmail = Trimmed(input.ContactEmail) ?? customer.ContactEmail;
        if (IntakeValidator.TryParseSegment(input.Segment, out var segment))
        {
            customer.Segment = segment;
        }
        else if (isNew)
        {
            // Seed 004: the segmentation playbook assigns the segment when the CRM did not.
            customer.Segment = segments.Assign(customer.SeatsPurchased, amount, customer.SupportLevel);
        }

        var after = Snapshot(customer);
        if (isNew)
        {
            customer.UpdatedAt = now;
            db.Customers.Add(customer);
            audit.Record(context.Actor, context.Source, "customer-created", nameof(Customer), customer.Id.ToString(), after: after);
        }
        else if (before != after)
        {
            customer.UpdatedAt = now;
            audit.Record(context.Actor, context.Source, "customer-updated", nameof(Customer), customer.Id.ToString(), before, after);
        }
        return customer;
    }

    private void ImportAccessList(Customer customer, List<AccessListPayload>? entries, IntakeContext context)
    {
        foreach (var entry in entries ?? [])
        {
            var system = entry.System!.Trim();
            var existing = customer.AccessList.FirstOrDefault(e => string.Equals(e.System, system, StringComparison.OrdinalIgnoreCase));
            var before = existing is null ? null : Snapshot(existing);
            var row = existing ?? new AccessListEntry { CustomerId = customer.Id, System = system, ContactTo = "" };
            row.ContactTo = entry.ContactTo!.Trim();
            row.Cc = [.. (entry.Cc ?? []).Select(c => c.Trim())];
            row.Method = StoredText.Parse<CommunicationMethod>(entry.Method!);
            row.CustomSubject = Trimmed(entry.CustomSubject);
            row.OtherRequirements = Trimmed(entry.OtherRequirements);
            row.ExpectedDaysToCreate = entry.ExpectedDaysToCreate ?? row.ExpectedDaysToCreate;
            var after = Snapshot(row);
            if (existing is null)
            {
                customer.AccessList.Add(row);
                audit.Record(context.Actor, context.Source, "access-list-entry-created", nameof(AccessListEntry), row.Id.ToString(), after: after);
            }
            else if (before != after)
            {
                audit.Record(context.Actor, context.Source, "access-list-entry-updated", nameof(AccessListEntry), row.Id.ToString(), before, after);
            }
        }
    }

    private Opportunity UpsertOpportunity(
        Opportunity? opportunity, Customer customer, string crmId, OpportunityKind kind, OpportunityStage stage,
        OpportunityPayload payload, IntakeContext context, DateTimeOffset now)
    {
        var isNew = opportunity is null;
        var before = opportunity is null ? null : Snapshot(opportunity);
        opportunity ??= new Opportunity { CrmId = crmId, CustomerId = customer.Id, Customer = customer, ReceivedAt = now };
        opportunity.Kind = kind;
        opportunity.Stage = stage;
        opportunity.CloseDate = payload.CloseDate!.Value;
        opportunity.Amount = payload.Amount!.Value;
        opportunity.ContractReference = Trimmed(payload.ContractReference);
        opportunity.MouReference = Trimmed(payload.MouReference);
        if (IntakeValidator.TryParseDeployment(payload.Deployment, out var deployment))
        {
            opportunity.Deployment = deployment;
        }
        var after = Snapshot(opportunity);
        if (isNew)
        {
            opportunity.UpdatedAt = now;
            db.Opportunities.Add(opportunity);
            audit.Record(context.Actor, context.Source, "opportunity-received", nameof(Opportunity), opportunity.Id.ToString(), after: after);
        }
        else if (before != after)
        {
            opportunity.UpdatedAt = now;
            audit.Record(context.Actor, context.Source, "opportunity-updated", nameof(Opportunity), opportunity.Id.ToString(), before, after);
        }
        return opportunity;
    }

    private Engagement CreateEngagement(Opportunity opportunity, Customer customer, OpportunityPayload payload, IntakeContext context, DateTimeOffset now)
    {
        var start = payload.StartDate ?? opportunity.CloseDate;
        var end = payload.EndDate ?? start.AddYears(1).AddDays(-1);
        var engagement = Engagement.StartFor(opportunity, start, end, now);
        engagement.Customer = customer;
        engagement.ManagerAadObjectId = context.ManagerAadObjectId;
        engagement.ManagerName = context.ManagerName;
        db.Engagements.Add(engagement);

        var sowReference = Trimmed(payload.Sow?.Reference);
        foreach (var input in payload.Sow?.Projects ?? [])
        {
            var project = new Project
            {
                EngagementId = engagement.Id,
                Engagement = engagement,
                Name = input.Name!.Trim(),
                Kind = Trimmed(input.Kind) ?? ProjectKinds.Onboarding90Day,
                SowReference = sowReference,
                CreatedAt = now,
            };
            var order = 0;
            foreach (var item in input.Deliverables ?? [])
            {
                project.Deliverables.Add(new Deliverable
                {
                    ProjectId = project.Id,
                    Title = item.Title!.Trim(),
                    DoneCriterion = item.DoneCriterion!.Trim(),
                    DueDate = item.DueDate,
                    GitHubIssueUrl = Trimmed(item.GithubIssueUrl),
                    Status = DeliverableStatus.ToDo,
                    SortOrder = order++,
                    UpdatedAt = now,
                });
            }
            engagement.Projects.Add(project);
        }

        audit.Record(context.Actor, context.Source, "engagement-created", nameof(Engagement), engagement.Id.ToString(), after: new
        {
            opportunityId = opportunity.CrmId,
            customer = customer.Name,
            startDate = engagement.StartDate,
            endDate = engagement.EndDate,
            status = StoredText.Of(engagement.Status),
            projects = engagement.Projects.Select(p => new { p.Name, p.Kind, deliverables = p.Deliverables.Count }),
        });
        return engagement;
    }

    private static IntakeResult Invalid(IReadOnlyList<RuleViolation> violations) => new(IntakeStatus.Invalid, violations);

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    // Records compare by value, so "did anything change" is one comparison and the audit's before/after are the same shape.
    private static CustomerSnapshot Snapshot(Customer c) => new(
        c.Name, StoredText.Of(c.Segment), StoredText.Of(c.Lifecycle), c.SupportLevel, c.SeatsPurchased, c.CsmEmail, c.CsmName,
        c.ProductVersion, c.ContactName, c.ContactEmail);

    private static OpportunitySnapshot Snapshot(Opportunity o) => new(
        StoredText.Of(o.Kind), StoredText.Of(o.Stage), o.CloseDate, o.Amount, o.ContractReference, o.MouReference,
        o.Deployment is { } d ? StoredText.Of(d) : null);

    private static AccessListSnapshot Snapshot(AccessListEntry e) => new(
        e.System, e.ContactTo, string.Join(";", e.Cc), StoredText.Of(e.Method), e.CustomSubject, e.OtherRequirements, e.ExpectedDaysToCreate);

    private sealed record CustomerSnapshot(
        string Name, string Segment, string Lifecycle, string? SupportLevel, int Seats, string? CsmEmail, string? CsmName,
        string? ProductVersion, string? ContactName, string? ContactEmail);

    private sealed record OpportunitySnapshot(
        string Kind, string Stage, DateOnly CloseDate, decimal Amount, string? ContractReference, string? MouReference, string? Deployment);

    private sealed record AccessListSnapshot(
        string System, string ContactTo, string Cc, string Method, string? CustomSubject, string? OtherRequirements, int ExpectedDaysToCreate);
}
