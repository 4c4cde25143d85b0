using Engagements.Onboarding;
using Engagements.Roles;

namespace Engagements.Tests.Onboarding;

public class PlanTemplateTests
{
    private static readonly PlanTemplateCatalog Catalog = new();

    private static PlanTemplate NinetyDay => Catalog.Get("onboarding-90-day");

    // Seed 003, item by item: phase, week, item, responsible role, due day, and its sub-points.
    public static TheoryData<string, string, string, Role, int, string[]> SeedChecklist => new()
    {
        { "Pre-Kickoff", "Week Before Kickoff", "Contract Finalization", Role.Manager, -3, ["Legal documents executed", "Payment terms confirmed", "Technical requirements documented"] },
        { "Pre-Kickoff", "Week Before Kickoff", "Internal Handoff", Role.Csm, -2, ["Account transferred to Customer Success", "Technical requirements shared with Engineering", "Implementation plan drafted"] },
        { "Pre-Kickoff", "Week Before Kickoff", "Customer Communication", Role.Csm, 0, ["Welcome email sent with next steps", "Kickoff meeting scheduled", "Implementation timeline shared"] },
        { "Foundation", "Week 1: Kickoff & Discovery", "Kickoff Meeting", Role.Csm, 3, ["Stakeholder introductions", "Success criteria confirmation", "Timeline agreement", "Communication protocols established"] },
        { "Foundation", "Week 1: Kickoff & Discovery", "Technical Discovery", Role.Csm, 7, ["Environment assessment", "Integration requirements finalized", "Security review completed", "Access provisioning"] },
        { "Foundation", "Week 2-4: Initial Setup", "Environment Setup", Role.Engineer, 28, ["Production environment provisioned", "Security configurations applied", "Initial data migration (if applicable)"] },
        { "Foundation", "Week 2-4: Initial Setup", "Integration Development", Role.Engineer, 28, ["API connections established", "Custom integrations built", "Testing environment configured"] },
        { "Implementation", "Week 5-6: Core Configuration", "System Configuration", Role.Engineer, 42, ["Core features configured", "User access and permissions set", "Initial content/data loaded"] },
        { "Implementation", "Week 5-6: Core Configuration", "Testing & Validation", Role.Engineer, 42, ["Unit testing completed", "User acceptance testing initiated", "Performance benchmarks met"] },
        { "Implementation", "Week 7-8: User Training", "Training Program", Role.Csm, 56, ["Admin training completed", "End-user training sessions", "Documentation provided", "Support processes explained"] },
        { "Launch", "Week 9-10: Soft Launch", "Pilot Launch", Role.Csm, 70, ["Limited user group activation", "Performance monitoring active", "Feedback collection process", "Issue tracking and resolution"] },
        { "Launch", "Week 11-12: Full Launch", "Production Launch", Role.Csm, 84, ["All users activated", "Full feature set enabled", "Monitoring dashboards live", "Success metrics baseline established"] },
        { "Launch", "Week 13: Optimization", "Performance Review", Role.Csm, 90, ["Success criteria assessment", "Performance optimization", "User feedback incorporation", "Future roadmap discussion"] },
    };

    [Fact]
    public void The_90_day_template_has_the_four_phases_of_seed_003_with_their_days()
    {
        Assert.Equal(
            [("Pre-Kickoff", -7, 0), ("Foundation", 1, 30), ("Implementation", 31, 60), ("Launch", 61, 90)],
            NinetyDay.Phases.Select(p => (p.Name!, p.StartDay, p.EndDay)));
        Assert.Equal(13, NinetyDay.Phases.Sum(p => p.Items.Count));
    }

    [Theory]
    [MemberData(nameof(SeedChecklist))]
    public void Every_checklist_item_of_seed_003_is_in_the_template_with_its_week_role_due_day_and_details(
        string phase, string week, string title, Role role, int dueDay, string[] details)
    {
        var item = Assert.Single(NinetyDay.PhaseNamed(phase)!.Items, i => i.Title == title);
        Assert.Equal(week, item.Week);
        Assert.Equal(role.ToString(), item.Role);
        Assert.Equal(dueDay, item.DueDay);
        Assert.Equal(details, item.Details);
    }

    [Fact]
    public void Each_item_names_the_responsible_team_of_seed_003()
    {
        var responsible = NinetyDay.Phases.SelectMany(p => p.Items).ToDictionary(i => i.Title!, i => i.Responsible);
        Assert.Equal("Sales → Customer Success handoff", responsible["Contract Finalization"]);
        Assert.Equal("Customer Success Manager", responsible["Kickoff Meeting"]);
        Assert.Equal("Implementation Team", responsible["Environment Setup"]);
        Assert.Equal("Implementation Team + Customer Technical Team", responsible["System Configuration"]);
        Assert.Equal("Customer Success + Training Team", responsible["Training Program"]);
        Assert.Equal("Customer Success Manager", responsible["Performance Review"]);
    }

    [Fact]
    public void Every_health_target_of_seed_003_is_in_its_phase()
    {
        var targets = NinetyDay.Phases.SelectMany(p => p.Targets.Select(t => (Phase: p.Name!, t.Name, t.Goal, t.Metric, t.Comparison, t.Threshold))).ToList();
        Assert.Equal(
            [
                ("Foundation", "Engagement Score", "Target 80+", "engagementScore", "atLeast", 80),
                ("Foundation", "Technical Progress", "30% complete", "technicalProgress", "atLeast", 30),
                ("Foundation", "Stakeholder Satisfaction", "Weekly pulse checks", "manual", null, null),
                ("Implementation", "Technical Progress", "70% complete", "technicalProgress", "atLeast", 70),
                ("Implementation", "User Adoption", "Training completion rate (attendance 80%+)", "trainingAttendance", "atLeast", 80),
                ("Implementation", "Issue Resolution", "Average resolution time <24 hours", "resolutionTimeHours", "below", 24),
                ("Launch", "Technical Progress", "100% complete", "technicalProgress", "atLeast", 100),
                ("Launch", "User Adoption", ">75% active usage", "adoption", "above", 75),
                ("Launch", "Customer Satisfaction", "NPS >7", "nps", "above", 7),
            ],
            targets.Select(t => (t.Phase, t.Name!, t.Goal!, t.Metric!, t.Comparison, (double?)t.Threshold)).Select(t => (t.Phase, t.Item2, t.Item3, t.Item4, t.Comparison, t.Item6 is null ? (int?)null : (int)t.Item6)));
    }

    [Fact]
    public void Every_trigger_alert_and_early_warning_of_seed_003_is_listed_with_the_rule_that_watches_it()
    {
        var phaseTriggers = NinetyDay.Phases.SelectMany(p => p.Triggers.Select(t => (p.Name!, t.Name!, t.Rule))).ToList();
        Assert.Equal(
            [
                ("Pre-Kickoff", "Contract signature confirmation", null),
                ("Pre-Kickoff", "Payment processing status", null),
                ("Pre-Kickoff", "Technical requirement changes", null),
                ("Foundation", "Meeting attendance drops below 80%", "attendanceBelow"),
                ("Foundation", "Technical blockers lasting >3 days", "blockerOpenDays"),
                ("Foundation", "Stakeholder changes or turnover", "stakeholderChange"),
                ("Implementation", "Testing results below expectations", null),
                ("Implementation", "Training attendance <80%", "attendanceBelow"),
                ("Implementation", "Technical issues escalating", null),
                ("Launch", "Usage below expectations", "usageBelowExpectation"),
                ("Launch", "Support ticket volume spike", "supportTicketSpike"),
                ("Launch", "Customer satisfaction concerns", null),
            ],
            phaseTriggers);
        Assert.Equal(
            [
                ("Engagement score drops below 70", "engagementScoreBelow"),
                ("Technical milestones missed by >1 week", "milestoneMissedDays"),
                ("Key stakeholder changes", "stakeholderChange"),
                ("Competitor evaluation activities", "competitorEvaluation"),
            ],
            NinetyDay.EarlyWarningTriggers.Select(t => (t.Name!, t.Rule!)));
        // Every rule the brief asks for is watched somewhere in the plan.
        Assert.Equal(TriggerRules.All.Order(), phaseTriggers.Select(t => t.Rule).Concat(NinetyDay.EarlyWarningTriggers.Select(t => t.Rule)).OfType<string>().Distinct().Order());
    }

    [Fact]
    public void Success_risk_handoff_and_communication_sections_of_seed_003_are_in_the_template()
    {
        Assert.Equal(
            [
                ("Technical Milestones", new[] { "All integrations functional", "Performance benchmarks met", "Security requirements satisfied", "All users trained and activated" }),
                ("Business Outcomes", ["Success criteria achieved", "ROI timeline on track", "Stakeholder satisfaction >8/10", "Expansion opportunities identified"]),
                ("Relationship Health", ["Strong champion established", "Executive sponsor engaged", "Regular communication cadence", "Feedback loops established"]),
            ],
            NinetyDay.SuccessCriteria.Select(g => (g.Group!, g.Criteria.ToArray())));
        Assert.Equal(["Technical Delays", "Stakeholder Changes", "Scope Creep", "User Adoption"], NinetyDay.Risks.Select(r => r.Risk));
        Assert.Equal(
            ["All implementation milestones complete", "Success criteria baseline established", "Regular cadence meetings scheduled", "Expansion roadmap identified", "Health monitoring automated"],
            NinetyDay.Handoff!.Criteria);
        Assert.Equal(
            ["Implementation recap and lessons learned", "Success metrics review", "Ongoing relationship plan", "Expansion opportunity discussion", "Next phase planning"],
            NinetyDay.Handoff.Meeting);
        Assert.Equal("3. Live", NinetyDay.Handoff.LifecycleOnConfirm);
        Assert.Equal(["Welcome email sequence", "Weekly status update template", "Milestone celebration messages", "Issue escalation communication"], NinetyDay.Communications);
    }

    [Fact]
    public void The_professional_services_template_reproduces_the_steps_of_seed_000_in_order_with_their_owner()
    {
        var template = Catalog.Get("professional-services");
        Assert.Equal(
            [
                ("Assign an Implementation Engineer", "Manager"),
                ("Send welcome e-mail", "Manager"),
                ("Kick-off", "Engineer"),
                ("Intake for AWS or on-prem", "Engineer"),
                ("On-going project calls (external)", "Engineer"),
                ("On-going internal project updates (15-minute standup)", "Engineer"),
                ("Project Summary", "Engineer"),
                ("Financial wrap-up", "Engineer"),
                ("Schedule blameless post-mortem", "Manager"),
            ],
            template.Phases.SelectMany(p => p.Items).Select(i => (i.Title!, i.Role!)));
        Assert.Equal(["AWS intake", "On-prem intake"], template.Phases.SelectMany(p => p.Items).Single(i => i.Id == "intake").Details);
        Assert.Null(template.Handoff!.LifecycleOnConfirm);
    }

    [Fact]
    public void The_communication_templates_of_seed_003_load()
    {
        var communications = new OnboardingCommunications().Templates;
        Assert.NotEmpty(communications.WelcomeSequence);
        Assert.Contains("{customer}", communications.WeeklyStatus!.Subject);
        Assert.Contains("{phase}", communications.MilestoneCelebration!.Text);
        Assert.Contains("{issue}", communications.IssueEscalation!.Text);
    }

    public static TheoryData<string, string, string> BrokenTemplates => new()
    {
        { "\"role\": \"Csm\"", "\"role\": \"Wizard\"", "phases[0].items[1].role" },
        { "\"id\": \"internal-handoff\"", "\"id\": \"contract-finalization\"", "phases[0].items[1].id" },
        { "\"startDay\": 31", "\"startDay\": 30", "phases[2].startDay" },
        { "\"dueDay\": 42", "\"dueDay\": 61", "phases[2].items[0].dueDay" },
        { "\"id\": \"foundation\"", "\"id\": \"pre-kickoff\"", "phases[1].id" },
        { "\"rule\": \"supportTicketSpike\"", "\"rule\": \"astrology\"", "phases[3].triggers[1].rule" },
        { "\"metric\": \"nps\"", "\"metric\": \"vibes\"", "phases[3].targets[2].metric" },
    };

    [Theory]
    [MemberData(nameof(BrokenTemplates))]
    public void A_broken_template_fails_naming_the_file_and_the_field(string original, string broken, string field)
    {
        var json = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "templates", "plans", "onboarding-90-day.json"));
        Assert.Contains(original, json);
        var edited = ReplaceFirst(json, original, broken);

        var error = Assert.Throws<PlanTemplateException>(() => new PlanTemplateCatalog([("templates/broken.json", edited)]));

        Assert.Equal("templates/broken.json", error.File);
        Assert.Equal(field, error.Field);
        Assert.Contains("templates/broken.json", error.Message);
        Assert.Contains(field, error.Message);
    }

    [Fact]
    public void Malformed_json_fails_naming_the_file()
    {
        var error = Assert.Throws<PlanTemplateException>(() => new PlanTemplateCatalog([("templates/bad.json", "{ \"id\": ")]));
        Assert.Contains("templates/bad.json", error.Message);
    }

    [Fact]
    public void The_same_template_id_twice_fails()
    {
        var json = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "templates", "plans", "professional-services.json"));
        var error = Assert.Throws<PlanTemplateException>(() => new PlanTemplateCatalog([("templates/a.json", json), ("templates/b.json", json)]));
        Assert.Equal("templates/b.json", error.File);
        Assert.Equal("id", error.Field);
    }

    private static string ReplaceFirst(string text, string search, string replacement)
    {
        var at = text.IndexOf(search, StringComparison.Ordinal);
        return text[..at] + replacement + text[(at + search.Length)..];
    }
}
