using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Engagements.Cards;
using Engagements.Data;
using Engagements.Delivery;
using Engagements.Engineers;
using Engagements.Mail;

namespace Engagements.Assignments;

// Seed 000 "Project Process": once an engineer is assigned, the manager sends the welcome e-mail and the engineer
// begins with kick-off, intake (AWS or on-prem), project calls, internal standups and the project summary.
public static class WelcomeMessages
{
    public const string EmailTemplate = "welcome";

    public static JsonObject EngineerCard(CardCatalog cards, Engagement engagement, EngineerProfile engineer, string managerName)
    {
        var customer = engagement.Customer;
        var facts = new List<object>
        {
            new { title = "Segment", value = StoredText.Of(customer.Segment) },
            new { title = "Engagement", value = $"{Format.Date(engagement.StartDate)} – {Format.Date(engagement.EndDate)}" },
            new { title = "Manager", value = managerName },
            new { title = "CSM", value = customer.CsmName ?? customer.CsmEmail ?? "–" },
            new { title = "Customer contact", value = customer.ContactEmail is null ? "–" : $"{customer.ContactName} <{customer.ContactEmail}>".Trim() },
        };
        facts.AddRange(engagement.Projects.Select(p => new { title = "Project", value = $"{p.Name} ({p.Deliverables.Count} deliverables)" }));
        return cards.Render("message", new
        {
            title = $"Welcome aboard {customer.Name}, {engineer.Name}",
            style = "good",
            text = $"{managerName} assigned you to the {customer.Name} engagement. First steps:\n\n"
                + "1. Schedule the kick-off with the customer contact (the welcome email introducing you is on its way).\n"
                + "2. Run the intake: AWS or on-prem.\n"
                + "3. Set up the recurring project calls and join the internal standup.\n"
                + "4. Keep the project summary current; report blockers with `blocked {item}: {reason}`.\n\n"
                + $"Type `status {customer.Name}` any time to see where it stands.",
            facts,
        });
    }

    /// <summary>Null when the customer has no contact email to welcome.</summary>
    public static EmailMessage? CustomerEmail(Engagement engagement, EngineerProfile engineer, string managerName)
    {
        var customer = engagement.Customer;
        if (string.IsNullOrWhiteSpace(customer.ContactEmail))
        {
            return null;
        }
        static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
        var body = new StringBuilder()
            .Append("<p>Dear ").Append(E(string.IsNullOrWhiteSpace(customer.ContactName) ? customer.Name + " team" : customer.ContactName)).Append(",</p>")
            .Append("<p>Welcome! Thank you for choosing us. I am pleased to introduce ").Append(E(engineer.Name))
            .Append(" (<a href=\"mailto:").Append(E(engineer.Email)).Append("\">").Append(E(engineer.Email)).Append("</a>), ")
            .Append("your Implementation Engineer for the engagement that runs from ")
            .Append(E(Format.Date(engagement.StartDate))).Append(" to ").Append(E(Format.Date(engagement.EndDate))).Append(".</p>")
            .Append("<p>").Append(E(engineer.Name))
            .Append(" will contact you shortly to schedule the project kick-off, where we walk through the scope of work, ")
            .Append("the timeline and how we work together: regular project calls, a shared project summary and one point of contact for your questions.</p>");
        if (engagement.Projects.Count > 0)
        {
            body.Append("<p>In scope:</p><ul>");
            foreach (var project in engagement.Projects)
            {
                body.Append("<li>").Append(E(project.Name)).Append("</li>");
            }
            body.Append("</ul>");
        }
        if (!string.IsNullOrWhiteSpace(customer.CsmEmail))
        {
            body.Append("<p>Your Customer Success Manager, ").Append(E(customer.CsmName ?? customer.CsmEmail)).Append(", is in copy.</p>");
        }
        body.Append("<p>Kind regards,<br>").Append(E(managerName)).Append("<br>Professional Services</p>");

        var cc = new[] { customer.CsmEmail, engineer.Email }
            .Where(a => !string.IsNullOrWhiteSpace(a) && !string.Equals(a, customer.ContactEmail, StringComparison.OrdinalIgnoreCase))
            .Select(a => a!)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        return new EmailMessage([customer.ContactEmail], cc, $"Welcome to your implementation, {customer.Name}", body.ToString(), EmailTemplate);
    }
}
