using System.Text.RegularExpressions;
using Engagements.AccountAccess;
using Engagements.Cards;
using Engagements.Data;
using Engagements.Roles;

namespace Engagements.Tests.Cards;

public class DisplayTextTests
{
    // CamelCase ("TeamLead", "PresalesEngineer") or the seed's stored codes ("escalated-to-TL") are not what people say.
    private static readonly Regex InternalName = new("[a-z][A-Z]|-to-");

    [Fact]
    public void Every_role_and_account_state_has_one_distinct_name_in_plain_words()
    {
        string[] roles = [.. Enum.GetValues<Role>().Select(DisplayText.Of)];
        string[] states = [.. Enum.GetValues<AccountRequestStatus>().Select(DisplayText.Of)];

        Assert.Equal(["Manager", "Team lead", "Engineer", "CSM", "Pre-sales engineer", "Admin"], roles);
        Assert.Equal(["Scheduled", "Requested", "Verified", "Not working", "Escalated to team lead", "Escalated to CSM", "Closed"], states);
        Assert.All(roles.Concat(states), name => Assert.DoesNotMatch(InternalName, name));
    }

    [Fact]
    public void Display_names_leave_the_stored_values_alone()
    {
        Assert.Equal("escalated-to-TL", StoredText.Of(AccountRequestStatus.EscalatedToTeamLead));
        Assert.Equal("Failing", StoredText.Of(AccountRequestStatus.Failing));
        Assert.Equal("PresalesEngineer", StoredText.Of(Role.PresalesEngineer));
    }
}
