using Engagements.Roles;

namespace Engagements.Bot;

/// <summary>What `help` lists: each command with the roles allowed to run it (empty = everyone).</summary>
public static class HelpCatalog
{
    // Placeholders are written {customer}, never <customer>: Teams and the Adaptive Cards renderer read <customer> as an
    // HTML tag and drop it, so users saw "board []". The same notation is used in replies, the manifest and the README.
    public sealed record Entry(string Usage, string Description, params Role[] Roles);

    public static IReadOnlyList<Entry> Entries { get; } =
    [
        new("status {customer}", "Where a customer stands: phase, progress, health, blockers, account access, next milestones"),
        new("my work", "Your deliverables, account requests and pending approvals"),
        new("board [{customer}]", "The delivery board: To-Do, In Progress, Under Review, Completed"),
        new("overdue", "Overdue deliverables, milestones and account requests"),
        new("done {item} [for {customer}]", "Complete a deliverable or checklist item"),
        new("blocked {item}: {reason}", "Flag a blocker (its age drives the 3-day escalation)", Role.Engineer, Role.TeamLead, Role.Manager, Role.Admin),
        new("unblocked {item}", "Clear a blocker", Role.Engineer, Role.TeamLead, Role.Manager, Role.Admin),
        new("account works / account not working: {reason}", "Report whether a customer account you were given works", Role.Engineer),
        new("health {customer}", "The health score explained: components, weights, biggest drags"),
        new("alerts", "Open alerts, with acknowledge and snooze"),
        new("follow-up [{customer} | overdue | export]", "The account-request tracker", Role.TeamLead, Role.Manager, Role.Csm, Role.Admin),
        new("kickoff {customer} {date}", "Set the kickoff date (yyyy-mm-dd) of a customer's onboarding plan", Role.Manager, Role.Csm),
        new("playbooks", "Playbook runs and conversation metrics", Role.Csm, Role.Manager, Role.Admin),
        new("new engagement", "Start an engagement by hand (form card); the pre-sales engineer gets the post-close checklist", Role.Manager),
        new("use this channel for {purpose}", "Bind this channel to approvals, alerts-customer-usage, alerts-health, escalations or standup", Role.Admin),
        new("grant {role} to @user / revoke {role} from @user", "Give or take a role: manager, teamlead, engineer, csm, presales, admin", Role.Admin),
        new("help", "This list"),
    ];

    public static IEnumerable<Entry> For(IReadOnlySet<Role> roles) =>
        Entries.Where(e => e.Roles.Length == 0 || e.Roles.Any(roles.Contains));
}
