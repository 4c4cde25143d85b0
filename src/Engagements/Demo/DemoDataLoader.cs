using Engagements.AccountAccess;
using Engagements.Alerts;
using Engagements.Assignments;
using Engagements.Audit;
using Engagements.Customers;
using Engagements.Data;
using Engagements.Delivery;
using Engagements.Engineers;
using Engagements.Health;
using Engagements.Intake;
using Engagements.Onboarding;
using Engagements.PostClose;
using Engagements.Roles;
using Engagements.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Engagements.Demo;

public sealed record DemoLoadResult(bool Loaded, int Customers, int Engagements);

public sealed record DemoPerson(string Name, string AadObjectId, string TeamsId);

// Realistic demo data relative to the injected clock: customers in every segment, lifecycle stage and onboarding
// phase, so every command and card has something to show. Idempotent: does nothing when demo customers exist.
public sealed class DemoDataLoader(EngagementsDb db, TimeProvider time, IOptions<DemoOptions> options)
{
    // The Playground's current user (playground/.m365agentsplayground.yml): the delivery lead, who holds every role.
    public const string PlaygroundUserAadObjectId = "00000000-0000-0000-0000-0000000000020";
    public const string PlaygroundUserName = "Alex Wilber";
    public const string PlaygroundUserTeamsId = "29:1alex-wilber-delivery-lead";
    public const string CrmIdPrefix = "DEMO-";

    // Everyone in the demo who is also a user of the Playground's mock tenant carries the Playground's ids, so a 1:1 to
    // them (a welcome, a milestone, a phase card) reaches a user the Playground knows. DemoDataTests reads the
    // Playground file and fails when these drift from it. Their demo roles need not match the labels in the Teams ids.
    public static readonly DemoPerson Alex = new(PlaygroundUserName, PlaygroundUserAadObjectId, PlaygroundUserTeamsId);
    public static readonly DemoPerson Megan = new("Megan Bowen", "00000000-0000-0000-0000-0000000000021", "29:1megan-bowen-manager");
    public static readonly DemoPerson Adele = new("Adele Vance", "00000000-0000-0000-0000-0000000000022", "29:1adele-vance-engineer");
    public static readonly DemoPerson Lee = new("Lee Gu", "00000000-0000-0000-0000-0000000000023", "29:1lee-gu-team-lead");
    public static readonly DemoPerson Nestor = new("Nestor Wilke", "00000000-0000-0000-0000-0000000000024", "29:1nestor-wilke-csm");
    public static readonly DemoPerson Isaiah = new("Isaiah Langer", "00000000-0000-0000-0000-0000000000025", "29:1isaiah-langer-presales");
    public static IReadOnlyList<DemoPerson> PlaygroundPeople { get; } = [Alex, Megan, Adele, Lee, Nestor, Isaiah];
    private const int SyntheticBatchSize = 2000;

    private static readonly NamedCustomer[] Named =
    [
        new("Contoso", "contoso.com", CustomerSegment.Enterprise, LifecycleStage.Onboarding, DemoPhase.Foundation, 12, 68, -6, 1200),
        new("Fabrikam", "fabrikam.com", CustomerSegment.Strategic, LifecycleStage.Onboarding, DemoPhase.Implementation, 45, 42, -16, 5000),
        new("Northwind Traders", "northwindtraders.com", CustomerSegment.MidMarket, LifecycleStage.Onboarding, DemoPhase.PreKickoff, -3, 80, 0, 400),
        new("Adventure Works", "adventure-works.com", CustomerSegment.Smb, LifecycleStage.Onboarding, DemoPhase.Launch, 75, 86, 5, 150),
        new("Tailspin Toys", "tailspintoys.com", CustomerSegment.Scaled, LifecycleStage.Live, DemoPhase.HandedOff, 130, 91, 2, 60),
        new("Wide World Importers", "wideworldimporters.com", CustomerSegment.Enterprise, LifecycleStage.Adoption, DemoPhase.HandedOff, 104, 63, -1, 2500),
        new("Litware", "litware.com", CustomerSegment.MidMarket, LifecycleStage.Renewal, DemoPhase.HandedOff, 320, 78, 3, 350),
        new("Woodgrove Bank", "woodgrovebank.com", CustomerSegment.Strategic, LifecycleStage.Prospect, DemoPhase.None, 0, 0, 0, 8000),
        new("Proseware", "proseware.com", CustomerSegment.Smb, LifecycleStage.Churned, DemoPhase.Closed, 400, 31, -4, 80),
    ];

    private static readonly (string Name, double Weight)[] HealthComponents =
    [
        ("seat-utilization", 0.20), ("feature-adoption", 0.15), ("active-users", 0.15), ("version-currency", 0.05),
        ("nps", 0.10), ("milestones", 0.15), ("open-blockers", 0.10), ("meeting-attendance", 0.05), ("support-tickets", 0.05),
    ];

    private static readonly (string Title, string DoneCriterion, int DueDay)[] OnboardingDeliverables =
    [
        ("Environment assessment", "Assessment document reviewed with the customer's technical lead", 7),
        ("Security review", "Customer security questionnaire signed off", 10),
        ("Production environment provisioned", "Production instance reachable with SSO", 20),
        ("API connections established", "CRM and ERP connectors pass the smoke test", 28),
        ("Core features configured", "Configuration workbook matches the deployed settings", 40),
        ("User acceptance testing", "UAT sign-off from the customer's project owner", 55),
        ("Admin training", "All named admins completed the admin course", 60),
        ("Pilot launch", "Pilot group active for one week without P1 issues", 72),
        ("Production launch", "All users activated, dashboards live", 84),
        ("Performance review", "Success criteria assessed with the executive sponsor", 90),
    ];

    private readonly List<EngineerProfile> engineers = [];
    private DateTimeOffset now;
    private DateOnly today;

    public async Task<DemoLoadResult> LoadAsync(CancellationToken cancellationToken)
    {
        if (await db.Customers.AnyAsync(c => c.CrmId.StartsWith(CrmIdPrefix), cancellationToken))
        {
            return new(false, 0, 0);
        }
        now = time.GetUtcNow();
        today = DateOnly.FromDateTime(now.UtcDateTime);
        try
        {
            AddPeople();
            var engagements = Named.Sum(AddNamedCustomer);
            await db.SaveChangesAsync(cancellationToken);
            var synthetic = Math.Max(0, options.Value.Customers - Named.Length);
            engagements += await AddSyntheticCustomersAsync(synthetic, cancellationToken);
            return new(true, Named.Length + synthetic, engagements);
        }
        catch (DbUpdateException)
        {
            // Another instance loaded the same demo data at the same moment; the unique CRM ids kept one copy.
            db.ChangeTracker.Clear();
            if (await db.Customers.AnyAsync(c => c.CrmId == CrmIdPrefix + "CONTOSO", CancellationToken.None))
            {
                return new(false, 0, 0);
            }
            throw;
        }
    }

    private void AddPeople()
    {
        engineers.AddRange(
        [
            Engineer(Alex, "Europe/London", -400, "Azure", "Integrations", "SQL"),
            Engineer(Lee, "Europe/Berlin", -900, "Kubernetes", "Networking", "Terraform"),
            Engineer(Isaiah, "America/New_York", -700, "Data migration", "Python"),
            Engineer(new("Lidia Holloway", "demo-aad-lidia-holloway", "demo-teams-lidia-holloway"), "Asia/Kolkata", -250, "Identity", "Entra ID", "PowerShell"),
            Engineer(new("Diego Siciliani", "demo-aad-diego-siciliani", "demo-teams-diego-siciliani"), "Australia/Sydney", -1200, "Analytics", "Power BI"),
            // Starts next week: his account requests wait until then (seed 002).
            Engineer(Nestor, "America/Los_Angeles", 5, "Integrations", "Java"),
        ]);
        db.Engineers.AddRange(engineers);

        foreach (var role in Enum.GetValues<Role>())
        {
            db.RoleAssignments.Add(RoleFor(PlaygroundUserAadObjectId, PlaygroundUserName, role));
        }
        db.RoleAssignments.AddRange(
            RoleFor(Megan.AadObjectId, Megan.Name, Role.Manager),
            RoleFor("demo-aad-patti-fernandez", "Patti Fernandez", Role.TeamLead),
            RoleFor(Adele.AadObjectId, Adele.Name, Role.Csm),
            RoleFor("demo-aad-pradeep-gupta", "Pradeep Gupta", Role.PresalesEngineer));
        db.RoleAssignments.AddRange(engineers.Skip(1).Select(e => RoleFor(e.AadObjectId, e.Name, Role.Engineer)));
        db.AuditEntries.Add(new AuditEntry
        {
            ActorName = "demo loader", Source = AuditSource.System, Action = "demo-data-loaded",
            EntityType = "Demo", EntityId = "named", At = now,
        });
    }

    private int AddNamedCustomer(NamedCustomer spec)
    {
        var slug = spec.Name.Replace(" ", "-", StringComparison.Ordinal).ToUpperInvariant();
        // The Playground user is Contoso's CSM so health and usage alerts reach them in the demo.
        var csm = spec.Name == "Contoso" ? Alex : Adele;
        var customer = new Customer
        {
            CrmId = CrmIdPrefix + slug,
            Name = spec.Name,
            Segment = spec.Segment,
            Lifecycle = spec.Stage,
            SupportLevel = spec.Segment is CustomerSegment.Strategic or CustomerSegment.Enterprise ? "Premier" : "Standard",
            SeatsPurchased = spec.Seats,
            CsmName = csm.Name,
            CsmEmail = csm.Name.Replace(" ", ".", StringComparison.Ordinal).ToLowerInvariant() + "@engagements.example",
            CsmAadObjectId = csm.AadObjectId,
            ProductVersion = spec.Phase is DemoPhase.HandedOff or DemoPhase.Closed ? "2024.4" : "2025.2",
            ContactName = "Customer Success Contact",
            ContactEmail = $"success@{spec.Domain}",
            CreatedAt = now.AddDays(-Math.Max(spec.PlanDay, 0) - 30),
            UpdatedAt = now,
            AccessList =
            [
                new()
                {
                    System = "VPN", ContactTo = $"it-accounts@{spec.Domain}", Cc = [$"security@{spec.Domain}"],
                    Method = CommunicationMethod.Email, CustomSubject = $"[ACCESS] New contractor account - {spec.Name} implementation",
                    OtherRequirements = "Include the engineer's phone number for MFA enrolment", ExpectedDaysToCreate = 3,
                },
                new()
                {
                    System = "Jira", ContactTo = $"servicedesk@{spec.Domain}", Method = CommunicationMethod.Ticket,
                    OtherRequirements = "Ticket category: Access > New account", ExpectedDaysToCreate = 5,
                },
            ],
        };
        db.Customers.Add(customer);

        var kickoff = today.AddDays(-(spec.PlanDay - 1));
        var opportunity = new Opportunity
        {
            CrmId = $"{CrmIdPrefix}OPP-{slug}",
            Customer = customer,
            CustomerId = customer.Id,
            Kind = OpportunityKind.New,
            Stage = spec.Phase == DemoPhase.None ? OpportunityStage.Negotiation : OpportunityStage.ClosedWon,
            CloseDate = kickoff.AddDays(-14),
            Amount = spec.Seats * 240m,
            // Alternate contract and MOU, as the seed's BD team does.
            ContractReference = spec.Seats % 2 == 0 ? $"CTR-{today.Year - 1}-{spec.Seats:D4}" : null,
            MouReference = spec.Seats % 2 == 0 ? null : $"MOU-{spec.Domain}-{spec.PlanDay}",
            Deployment = spec.Phase is DemoPhase.None or DemoPhase.PreKickoff ? null : Deployment.Cloud,
            ReceivedAt = now.AddDays(-spec.PlanDay - 14),
            UpdatedAt = now,
        };
        db.Opportunities.Add(opportunity);
        if (spec.Stage == LifecycleStage.Renewal)
        {
            // Renewals may have neither a contract nor an MOU (seed 001).
            db.Opportunities.Add(new Opportunity
            {
                CrmId = $"{CrmIdPrefix}OPP-{slug}-RENEWAL", Customer = customer, CustomerId = customer.Id,
                Kind = OpportunityKind.Renewal, Stage = OpportunityStage.Proposal, CloseDate = today.AddDays(40),
                Amount = spec.Seats * 250m, ReceivedAt = now.AddDays(-10), UpdatedAt = now,
            });
        }
        if (spec.Phase == DemoPhase.None)
        {
            return 0;
        }

        var engagement = Engagement.StartFor(opportunity, kickoff.AddDays(-7), kickoff.AddDays(-7).AddYears(1), now.AddDays(-spec.PlanDay - 7));
        engagement.ManagerAadObjectId = Megan.AadObjectId;
        engagement.ManagerName = Megan.Name;
        engagement.Status = spec.Phase switch
        {
            DemoPhase.PreKickoff => EngagementStatus.AwaitingAssignment,
            DemoPhase.Closed => EngagementStatus.Completed,
            _ => EngagementStatus.Active,
        };
        if (spec.Phase == DemoPhase.Closed)
        {
            engagement.EndDate = today.AddDays(-60);
        }
        db.Engagements.Add(engagement);

        var team = TeamFor(spec.Name);
        foreach (var engineer in team)
        {
            db.EngagementEngineers.Add(new EngagementEngineer
            {
                Engagement = engagement, Engineer = engineer, AssignedAt = now.AddDays(-spec.PlanDay - 5),
                ReleasedAt = spec.Phase == DemoPhase.Closed ? now.AddDays(-60) : null,
            });
        }
        if (spec.Phase == DemoPhase.PreKickoff)
        {
            db.AssignmentRequests.Add(new AssignmentRequest
            {
                Engagement = engagement, Status = AssignmentStatus.Pending, RequestedAt = now.AddHours(-30),
                SuggestedEngineerIds = [engineers[5].Id, engineers[3].Id, engineers[0].Id],
            });
        }
        else
        {
            db.AssignmentRequests.Add(new AssignmentRequest
            {
                Engagement = engagement, Status = AssignmentStatus.Approved, RequestedAt = now.AddDays(-spec.PlanDay - 6),
                SuggestedEngineerIds = [.. team.Select(e => e.Id)], AssignedEngineerId = team[0].Id,
                DecidedAt = now.AddDays(-spec.PlanDay - 5), DecidedByAadObjectId = Megan.AadObjectId, DecidedByName = Megan.Name,
            });
        }

        var onboarding = new Project
        {
            Engagement = engagement, Name = $"{spec.Name} onboarding", Kind = ProjectKinds.Onboarding90Day,
            SowReference = $"SOW-{slug}-01", CreatedAt = engagement.CreatedAt,
        };
        db.Projects.Add(onboarding);
        AddDeliverables(onboarding, spec, team);
        AddPlan(onboarding, spec, kickoff);
        AddPostCloseChecklist(engagement, spec);
        if (spec.Segment is CustomerSegment.Strategic or CustomerSegment.Enterprise)
        {
            var services = new Project
            {
                Engagement = engagement, Name = "Legacy data migration", Kind = ProjectKinds.ProfessionalServices,
                SowReference = $"SOW-{slug}-02", CreatedAt = engagement.CreatedAt,
            };
            db.Projects.Add(services);
            AddProfessionalServicesDeliverables(services, spec, team);
        }

        AddAccountRequests(customer, engagement, spec, team);
        AddHealth(customer, spec);
        AddUsage(customer, spec);
        AddAlerts(customer, spec);
        return 1;
    }

    private List<EngineerProfile> TeamFor(string customer) => customer switch
    {
        "Contoso" => [engineers[0]],
        "Fabrikam" => [engineers[1], engineers[0]],
        "Northwind Traders" => [],
        "Adventure Works" => [engineers[2], engineers[5]],
        "Tailspin Toys" => [engineers[3]],
        "Wide World Importers" => [engineers[4]],
        "Litware" => [engineers[1]],
        _ => [engineers[2]],
    };

    private void AddDeliverables(Project project, NamedCustomer spec, List<EngineerProfile> team)
    {
        var day = spec.PlanDay;
        var kickoff = today.AddDays(-(day - 1));
        for (var i = 0; i < OnboardingDeliverables.Length; i++)
        {
            var (title, criterion, dueDay) = OnboardingDeliverables[i];
            var status = spec.Phase is DemoPhase.HandedOff or DemoPhase.Closed || dueDay < day - 6 ? DeliverableStatus.Completed
                : dueDay < day ? DeliverableStatus.UnderReview
                : dueDay < day + 12 ? DeliverableStatus.InProgress
                : DeliverableStatus.ToDo;
            var deliverable = new Deliverable
            {
                Project = project, Title = title, DoneCriterion = criterion, Status = status, SortOrder = i,
                Owner = team.Count == 0 ? null : team[i % team.Count], DueDate = kickoff.AddDays(dueDay - 1),
                GitHubIssueUrl = i % 3 == 0 ? $"https://github.com/{spec.Domain.Split('.')[0]}-delivery/onboarding/issues/{10 + i}" : null,
                CompletedAt = status == DeliverableStatus.Completed ? now.AddDays(-Math.Max(day - dueDay, 1)) : null,
                UpdatedAt = now.AddDays(-1),
            };
            if (spec.Name == "Contoso" && title == "API connections established")
            {
                deliverable.Block("Waiting for the customer's firewall change (their ticket INC-20418)", now.AddDays(-4));
            }
            if (spec.Name == "Fabrikam" && title == "User acceptance testing")
            {
                deliverable.Block("UAT test data not delivered by the customer", now.AddDays(-6));
            }
            if (spec.Name == "Adventure Works" && title == "Production launch")
            {
                deliverable.Block("Customer change freeze until month end", now.AddDays(-1));
            }
            db.Deliverables.Add(deliverable);
        }
    }

    private void AddProfessionalServicesDeliverables(Project project, NamedCustomer spec, List<EngineerProfile> team)
    {
        string[] titles = ["Kick-off", "Intake (AWS)", "Project summary", "Financial wrap-up", "Blameless post-mortem"];
        for (var i = 0; i < titles.Length; i++)
        {
            var status = spec.Phase is DemoPhase.HandedOff or DemoPhase.Closed ? DeliverableStatus.Completed
                : i < 1 ? DeliverableStatus.Completed : i < 2 ? DeliverableStatus.InProgress : DeliverableStatus.ToDo;
            db.Deliverables.Add(new Deliverable
            {
                Project = project, Title = titles[i], Status = status, SortOrder = i,
                Owner = team.Count == 0 ? null : team[0], DueDate = today.AddDays(-spec.PlanDay + 20 * (i + 1)),
                DoneCriterion = "Signed off by the customer's project owner",
                CompletedAt = status == DeliverableStatus.Completed ? now.AddDays(-3) : null, UpdatedAt = now.AddDays(-2),
            });
        }
    }

    // Seed 004's post-close checklist, done by the pre-sales engineer in the week after close. Northwind's is half done
    // (its deployment is not known yet, so the cloud instance step waits for a decision): its open steps show in
    // `status Northwind` and keep its Pre-Kickoff phase from being confirmed.
    private void AddPostCloseChecklist(Engagement engagement, NamedCustomer spec)
    {
        var closedAt = engagement.CreatedAt.AddDays(2);
        var halfDone = spec.Phase == DemoPhase.PreKickoff;
        var checklist = new PostCloseChecklist
        {
            Engagement = engagement, PresalesEngineerAadObjectId = "demo-aad-pradeep-gupta", PresalesEngineerName = "Pradeep Gupta",
            PresalesEngineerEmail = "pradeep.gupta@engagements.example", CreatedAt = engagement.CreatedAt, UpdatedAt = closedAt,
            CompletedAt = halfDone ? null : closedAt,
            Items = PostCloseSteps.For(halfDone ? null : Deployment.Cloud, engagement.CreatedAt),
        };
        foreach (var item in checklist.Items.Where(i => !halfDone || i.Order % 2 == 0))
        {
            item.State = PostCloseItemState.Done;
            item.ClosedAt = closedAt;
            item.ClosedByAadObjectId = checklist.PresalesEngineerAadObjectId;
            item.ClosedByName = checklist.PresalesEngineerName;
        }
        db.PostCloseChecklists.Add(checklist);
    }

    private void AddPlan(Project project, NamedCustomer spec, DateOnly kickoff)
    {
        var handedOff = spec.Phase is DemoPhase.HandedOff or DemoPhase.Closed;
        var plan = new OnboardingPlan
        {
            Project = project, TemplateId = ProjectKinds.Onboarding90Day, KickoffDate = kickoff,
            State = handedOff ? PlanState.HandedOff : PlanState.Active, CreatedAt = project.CreatedAt,
            HandedOffAt = handedOff ? now.AddDays(-(spec.PlanDay - 91)) : null,
            HandedOffByAadObjectId = handedOff ? Adele.AadObjectId : null,
            SuccessCriteria = ["All integrations functional", "Performance benchmarks met", "Security requirements satisfied", "All users trained and activated"],
            HandoffCriteria = ["All implementation milestones complete", "Success criteria baseline established", "Regular cadence meetings scheduled", "Expansion roadmap identified", "Health monitoring automated"],
        };
        db.OnboardingPlans.Add(plan);
        foreach (var template in PhaseTemplates)
        {
            // Contoso's Pre-Kickoff phase ended but was never confirmed: running the onboarding daily job
            // (PhaseConfirmations.SendDueCardsAsync) sends its "Confirm phase complete" card to the Playground user.
            var awaitingConfirmation = spec.Name == "Contoso" && template.Order == 0;
            var status = awaitingConfirmation ? PhaseStatus.AwaitingConfirmation
                : handedOff || spec.PlanDay > template.EndDay ? PhaseStatus.Completed
                : spec.PlanDay >= template.StartDay ? PhaseStatus.Active
                : PhaseStatus.Upcoming;
            var phase = new PlanPhase
            {
                Plan = plan, Order = template.Order, Name = template.Name, StartDay = template.StartDay, EndDay = template.EndDay,
                Status = status,
                Targets = [.. template.Targets.Select(t => new PhaseTarget { Name = t.Name, Goal = t.Goal, Met = status == PhaseStatus.Completed ? true : null })],
                ConfirmedAt = status == PhaseStatus.Completed ? now.AddDays(template.EndDay - spec.PlanDay + 1) : null,
                ConfirmedByAadObjectId = status == PhaseStatus.Completed ? Adele.AadObjectId : null,
                ConfirmedByName = status == PhaseStatus.Completed ? Adele.Name : null,
            };
            db.PlanPhases.Add(phase);
            var order = 0;
            foreach (var (title, role, dueDay) in template.Items)
            {
                var done = status == PhaseStatus.Completed || dueDay < spec.PlanDay;
                db.ChecklistItems.Add(new ChecklistItem
                {
                    Phase = phase, Order = order++, Title = title, OwnerRole = role, DueDay = dueDay,
                    DoneAt = done ? now.AddDays(Math.Min(dueDay - spec.PlanDay, -1)) : null,
                    DoneByName = done ? Megan.Name : null,
                });
            }
        }
    }

    private void AddAccountRequests(Customer customer, Engagement engagement, NamedCustomer spec, List<EngineerProfile> team)
    {
        foreach (var engineer in team)
        {
            foreach (var entry in customer.AccessList)
            {
                var request = new AccountRequest
                {
                    Engagement = engagement, Customer = customer, Engineer = engineer, AccessListEntry = entry, System = entry.System,
                    NotBefore = engineer.StartDate, CreatedAt = now.AddDays(-spec.PlanDay - 5), UpdatedAt = now,
                };
                if (engineer.StartDate > today)
                {
                    request.Status = AccountRequestStatus.Scheduled;
                }
                else
                {
                    var sentDaysAgo = spec.Name switch { "Contoso" => 8, "Fabrikam" => 15, _ => Math.Min(spec.PlanDay + 5, 60) };
                    request.RequestedAt = now.AddDays(-sentDaysAgo);
                    request.RequestDate = today.AddDays(-sentDaysAgo);
                    request.ExpectedBy = request.RequestDate.Value.AddDays(entry.ExpectedDaysToCreate);
                    request.FollowUps.Add(FollowUp(entry.Method == CommunicationMethod.Email ? FollowUpKind.Sent : FollowUpKind.TicketFiled, sentDaysAgo, "Patti Fernandez"));
                    (AccountRequestStatus Status, DateTimeOffset? VerifiedAt, string? Reason) outcome = (spec.Name, entry.System) switch
                    {
                        ("Contoso", "Jira") => (AccountRequestStatus.EscalatedToTeamLead, null, null),
                        ("Fabrikam", "VPN") => (AccountRequestStatus.Failing, null, "MFA enrolment link expired"),
                        ("Fabrikam", "Jira") => (AccountRequestStatus.EscalatedToCsm, null, null),
                        _ => (AccountRequestStatus.Verified, now.AddDays(-sentDaysAgo + 2), null),
                    };
                    (request.Status, request.VerifiedAt, request.FailureReason) = outcome;
                    switch (request.Status)
                    {
                        case AccountRequestStatus.Verified:
                            request.FollowUps.Add(FollowUp(FollowUpKind.Verified, sentDaysAgo - 2, engineer.Name));
                            break;
                        case AccountRequestStatus.Failing:
                            request.FollowUps.Add(FollowUp(FollowUpKind.Failing, 2, engineer.Name, request.FailureReason));
                            break;
                        case AccountRequestStatus.EscalatedToTeamLead:
                            request.FollowUps.Add(FollowUp(FollowUpKind.EscalatedToTeamLead, 2, "job", "No account after the expected 5 days"));
                            break;
                        case AccountRequestStatus.EscalatedToCsm:
                            request.FollowUps.Add(FollowUp(FollowUpKind.EscalatedToTeamLead, 9, "job", "No account after the expected 5 days"));
                            request.FollowUps.Add(FollowUp(FollowUpKind.EscalatedToCsm, 6, "job", "Still no account; customer follow-up needed"));
                            break;
                    }
                }
                db.AccountRequests.Add(request);
            }
        }
    }

    private void AddHealth(Customer customer, NamedCustomer spec)
    {
        // A week of daily snapshots ending at today's score, moving by the given weekly delta.
        for (var daysAgo = 6; daysAgo >= 0; daysAgo--)
        {
            var score = Math.Clamp(spec.Score - spec.WeeklyDelta * daysAgo / 6, 0, 100);
            var previous = Math.Clamp(spec.Score - spec.WeeklyDelta * (daysAgo + 1) / 6, 0, 100);
            db.HealthSnapshots.Add(new HealthSnapshot
            {
                Customer = customer, Day = today.AddDays(-daysAgo), Score = score, Band = BandOf(score),
                Trend = score > previous ? HealthTrend.Up : score < previous ? HealthTrend.Down : HealthTrend.Flat,
                Components = ComponentsAround(score, customer.Name), ComputedAt = now.AddDays(-daysAgo).AddHours(-1),
            });
        }
    }

    private void AddUsage(Customer customer, NamedCustomer spec)
    {
        var utilization = spec.Name switch { "Wide World Importers" => 0.38, "Tailspin Toys" => 0.94, _ => 0.5 + spec.Score / 250.0 };
        db.SeatReadings.Add(new SeatReading { Customer = customer, ActiveSeats = (int)(customer.SeatsPurchased * utilization), At = now.AddHours(-2), ReceivedAt = now.AddHours(-2) });
        string[] features = ["Dashboards", "Workflow Automation", "Reports", "API Access"];
        for (var i = 0; i < 12; i++)
        {
            db.UsageEvents.Add(new UsageEvent
            {
                EventId = $"demo-{customer.CrmId}-{i}", Customer = customer, UserId = $"user{i % 5}@{spec.Domain}",
                Feature = features[i % features.Length], OccurredAt = now.AddHours(-6 * i), ProductVersion = customer.ProductVersion,
                ReceivedAt = now.AddHours(-6 * i),
            });
        }
        if (spec.Name == "Fabrikam")
        {
            db.Signals.AddRange(
                new Signal { SignalId = "demo-fabrikam-attendance", Customer = customer, Kind = SignalKind.MeetingAttendance, Value = 65, Detail = "Weekly sync: 13 of 20 attendees", At = now.AddDays(-2), ReceivedAt = now.AddDays(-2) },
                new Signal { SignalId = "demo-fabrikam-stakeholder", Customer = customer, Kind = SignalKind.StakeholderChange, Detail = "Executive sponsor (VP IT) left the company", At = now.AddDays(-5), ReceivedAt = now.AddDays(-5) });
        }
    }

    private void AddAlerts(Customer customer, NamedCustomer spec)
    {
        (AlertKind Kind, AlertSeverity Severity, string Reason, AlertState State, int Count)[] alerts = spec.Name switch
        {
            "Fabrikam" =>
            [
                (AlertKind.HealthBandDrop, AlertSeverity.Critical, "Health dropped from yellow to red", AlertState.Open, 1),
                (AlertKind.EarlyWarning, AlertSeverity.Warning, "Key stakeholder change", AlertState.Open, 1),
            ],
            "Contoso" =>
            [
                (AlertKind.EarlyWarning, AlertSeverity.Warning, "Technical blocker open for more than 3 days", AlertState.Open, 2),
                (AlertKind.FirstFeatureUse, AlertSeverity.Info, "First use of Dashboards", AlertState.Resolved, 1),
            ],
            "Wide World Importers" => [(AlertKind.LowUtilization, AlertSeverity.Warning, "Seat utilization 38% (below 50%)", AlertState.Open, 3)],
            "Tailspin Toys" => [(AlertKind.ExpansionOpportunity, AlertSeverity.Info, "Seat utilization 94% (above 90%)", AlertState.Open, 1)],
            "Adventure Works" => [(AlertKind.FirstFeatureUse, AlertSeverity.Info, "First use of Workflow Automation", AlertState.Acknowledged, 1)],
            _ => [],
        };
        foreach (var (kind, severity, reason, state, count) in alerts)
        {
            db.Alerts.Add(new Alert
            {
                Kind = kind, Customer = customer, Severity = severity, Reason = reason, State = state, Count = count,
                DedupeKey = Alert.DedupeKeyFor(customer.Id, kind, DedupeTopic(kind, reason)), FirstSeenAt = now.AddDays(-count), LastSeenAt = now.AddHours(-count),
                AcknowledgedAt = state == AlertState.Acknowledged ? now.AddHours(-3) : null,
                AcknowledgedByAadObjectId = state == AlertState.Acknowledged ? PlaygroundUserAadObjectId : null,
                ResolvedAt = state == AlertState.Resolved ? now.AddDays(-1) : null,
            });
        }
    }

    // The topics AlertService dedupes these kinds on (their reasons carry changing figures).
    private static string DedupeTopic(AlertKind kind, string reason) => kind switch
    {
        AlertKind.LowUtilization => "below 50%",
        AlertKind.ExpansionOpportunity => "above 90%",
        AlertKind.HealthBandDrop => "dropped to Red",
        _ => reason,
    };

    // Benchmark scale: plain rows in batches with change detection off, the tracker cleared after every batch.
    private async Task<int> AddSyntheticCustomersAsync(int count, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return 0;
        }
        var engineerIds = engineers.Select(e => e.Id).ToArray();
        var segments = Enum.GetValues<CustomerSegment>();
        var stages = Enum.GetValues<LifecycleStage>();
        var autoDetect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.ChangeTracker.Clear();
        var engagements = 0;
        try
        {
            for (var n = 1; n <= count; n++)
            {
                var stage = stages[n % stages.Length];
                var customer = new Customer
                {
                    CrmId = $"{CrmIdPrefix}SYN-{n:D6}", Name = $"Customer {n:D5}", Segment = segments[n % segments.Length], Lifecycle = stage,
                    SupportLevel = "Standard", SeatsPurchased = 50 + n % 950, CsmName = Adele.Name, CsmAadObjectId = Adele.AadObjectId,
                    ProductVersion = "2025.2", CreatedAt = now.AddDays(-(n % 365)), UpdatedAt = now,
                };
                db.Customers.Add(customer);
                var score = 20 + n * 37 % 80;
                db.HealthSnapshots.Add(new HealthSnapshot
                {
                    CustomerId = customer.Id, Day = today, Score = score, Band = BandOf(score), Trend = (HealthTrend)(n % 3),
                    Components = ComponentsAround(score, customer.Name), ComputedAt = now,
                });
                if (stage != LifecycleStage.Prospect)
                {
                    var opportunity = new Opportunity
                    {
                        CrmId = $"{CrmIdPrefix}SYN-OPP-{n:D6}", CustomerId = customer.Id, Kind = OpportunityKind.New,
                        Stage = OpportunityStage.ClosedWon, CloseDate = today.AddDays(-(n % 300) - 14), Amount = customer.SeatsPurchased * 240m,
                        ContractReference = $"CTR-SYN-{n:D6}", ReceivedAt = now.AddDays(-(n % 300) - 14), UpdatedAt = now,
                    };
                    db.Opportunities.Add(opportunity);
                    var engagement = Engagement.StartFor(opportunity, opportunity.CloseDate.AddDays(7), opportunity.CloseDate.AddDays(7).AddYears(1), opportunity.ReceivedAt);
                    engagement.Status = stage == LifecycleStage.Churned ? EngagementStatus.Completed : EngagementStatus.Active;
                    db.Engagements.Add(engagement);
                    db.EngagementEngineers.Add(new EngagementEngineer { EngagementId = engagement.Id, EngineerId = engineerIds[n % engineerIds.Length], AssignedAt = opportunity.ReceivedAt });
                    var project = new Project { EngagementId = engagement.Id, Name = "Onboarding", CreatedAt = opportunity.ReceivedAt };
                    db.Projects.Add(project);
                    for (var i = 0; i < 4; i++)
                    {
                        db.Deliverables.Add(new Deliverable
                        {
                            ProjectId = project.Id, Title = OnboardingDeliverables[i * 2].Title, Status = (DeliverableStatus)((n + i) % 4),
                            SortOrder = i, DueDate = engagement.StartDate.AddDays(OnboardingDeliverables[i * 2].DueDay), UpdatedAt = now,
                        });
                    }
                    engagements++;
                }
                if (n % SyntheticBatchSize == 0 || n == count)
                {
                    await db.SaveChangesAsync(cancellationToken);
                    db.ChangeTracker.Clear();
                }
            }
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }
        return engagements;
    }

    private EngineerProfile Engineer(DemoPerson person, string timeZone, int startedDaysFromToday, params string[] skills) => new()
    {
        Name = person.Name, AadObjectId = person.AadObjectId, TeamsUserId = person.TeamsId, TimeZone = timeZone, Skills = [.. skills],
        Email = person.Name.Replace(" ", ".", StringComparison.Ordinal).ToLowerInvariant() + "@engagements.example",
        Phone = "+1 425 555 01" + (person.Name.Length % 90).ToString("D2", System.Globalization.CultureInfo.InvariantCulture),
        StartDate = today.AddDays(startedDaysFromToday),
    };

    private RoleAssignment RoleFor(string aad, string name, Role role) =>
        new() { AadObjectId = aad, DisplayName = name, Role = role, GrantedByAadObjectId = "demo loader", GrantedAt = now };

    private AccountRequestFollowUp FollowUp(FollowUpKind kind, int daysAgo, string actor, string? note = null) =>
        new() { Kind = kind, At = now.AddDays(-daysAgo), ActorName = actor, Note = note };

    private static HealthBand BandOf(int score) => score <= 50 ? HealthBand.Red : score <= 75 ? HealthBand.Yellow : HealthBand.Green;

    private static List<HealthComponent> ComponentsAround(int score, string seed)
    {
        // Deterministic spread around the overall score, so "health X" explains plausible drags.
        var hash = seed.Aggregate(17, (h, c) => h * 31 + c);
        return [.. HealthComponents.Select((c, i) => new HealthComponent
        {
            Name = c.Name, Weight = c.Weight, Score = Math.Clamp(score + (Math.Abs(hash + i * 7919) % 41) - 20, 0, 100),
        })];
    }

    private static readonly PhaseTemplate[] PhaseTemplates =
    [
        new(0, "Pre-Kickoff", -7, 0,
            [("Engagement score", "80+")],
            [
                ("Contract finalization", Role.Manager, -3), ("Internal handoff", Role.Csm, -2), ("Welcome email sent and kickoff scheduled", Role.Csm, 0),
            ]),
        new(1, "Foundation", 1, 30,
            [("Technical progress", "30%"), ("Engagement score", "80+")],
            [("Kickoff meeting", Role.Csm, 3), ("Technical discovery", Role.Engineer, 7), ("Environment setup", Role.Engineer, 21), ("Integration development", Role.Engineer, 30)]),
        new(2, "Implementation", 31, 60,
            [("Technical progress", "70%"), ("Issue resolution time", "< 24 h")],
            [("System configuration", Role.Engineer, 42), ("Testing & validation", Role.Engineer, 49), ("Training program", Role.Csm, 60)]),
        new(3, "Launch", 61, 90,
            [("Technical progress", "100%"), ("User adoption", "> 75%"), ("NPS", "> 7")],
            [("Pilot launch", Role.Csm, 70), ("Production launch", Role.Csm, 84), ("Performance review", Role.Csm, 90)]),
    ];

    private sealed record PhaseTemplate(int Order, string Name, int StartDay, int EndDay,
        (string Name, string Goal)[] Targets, (string Title, Role Role, int DueDay)[] Items);

    private enum DemoPhase
    {
        None,
        PreKickoff,
        Foundation,
        Implementation,
        Launch,
        HandedOff,
        Closed,
    }

    private sealed record NamedCustomer(string Name, string Domain, CustomerSegment Segment, LifecycleStage Stage, DemoPhase Phase,
        int PlanDay, int Score, int WeeklyDelta, int Seats);
}
