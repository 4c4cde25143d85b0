namespace Engagements.Roles;

/// <summary>The first holders of each role, by Entra object id (section "Roles"); more are granted in chat by admins.</summary>
public sealed class RolesOptions
{
    public string[] Admins { get; set; } = [];
    public string[] Managers { get; set; } = [];
    public string[] TeamLeads { get; set; } = [];
    public string[] Csms { get; set; } = [];
    public string[] Engineers { get; set; } = [];
    public string[] PresalesEngineers { get; set; } = [];

    public IEnumerable<Role> For(string aadObjectId)
    {
        bool In(string[] ids) => ids.Contains(aadObjectId, StringComparer.OrdinalIgnoreCase);
        if (In(Admins)) { yield return Role.Admin; }
        if (In(Managers)) { yield return Role.Manager; }
        if (In(TeamLeads)) { yield return Role.TeamLead; }
        if (In(Csms)) { yield return Role.Csm; }
        if (In(Engineers)) { yield return Role.Engineer; }
        if (In(PresalesEngineers)) { yield return Role.PresalesEngineer; }
    }

    public IEnumerable<string> HoldersOf(Role role) => role switch
    {
        Role.Admin => Admins,
        Role.Manager => Managers,
        Role.TeamLead => TeamLeads,
        Role.Csm => Csms,
        Role.Engineer => Engineers,
        Role.PresalesEngineer => PresalesEngineers,
        _ => [],
    };
}
