using Engagements.Intake;

namespace Engagements.PostClose;

/// <summary>
/// The four steps of seed 004 "Upon close, the pre-sales CE performs the following steps". The cloud production
/// instance is "if relevant": needed for a cloud or hybrid deployment, not needed (closed at once) for on-prem, and
/// left for the pre-sales engineer to decide ("Done" or "Not needed" on the card) when the CRM did not say.
/// </summary>
public static class PostCloseSteps
{
    public const string ProductionLicense = "production-license";
    public const string CloudInstance = "cloud-instance";
    public const string AdminMapping = "admin-mapping";
    public const string ContactRoles = "contact-roles";

    public static List<PostCloseItem> For(Deployment? deployment, DateTimeOffset now) =>
    [
        new()
        {
            Key = ProductionLicense, Order = 0, Title = "Production license created",
            Detail = "Create the customer's production license.",
        },
        CloudInstanceStep(deployment, now),
        new()
        {
            Key = AdminMapping, Order = 2, Title = "Instance-to-admin mapping completed",
            Detail = "Map the production instance to the customer's administrators.",
        },
        new()
        {
            Key = ContactRoles, Order = 3, Title = "Customer contacts tagged with their roles",
            Detail = "Tag each customer contact with the right role on their CRM contact card.",
        },
    ];

    private static PostCloseItem CloudInstanceStep(Deployment? deployment, DateTimeOffset now)
    {
        var step = new PostCloseItem { Key = CloudInstance, Order = 1, Title = "New cloud production instance requested", Optional = true };
        switch (deployment)
        {
            case Deployment.OnPrem:
                step.Detail = "The customer runs on-prem: no cloud instance to request.";
                step.State = PostCloseItemState.NotNeeded;
                step.Note = "On-prem deployment (from the opportunity).";
                step.ClosedAt = now;
                step.ClosedByName = "Engagements";
                break;
            case Deployment.Cloud or Deployment.Hybrid:
                step.Detail = $"The customer runs {(deployment == Deployment.Cloud ? "in our cloud" : "hybrid")}: request the new production instance.";
                break;
            default:
                step.Detail = "Only if the customer runs in our cloud; otherwise mark it not needed.";
                break;
        }
        return step;
    }
}
