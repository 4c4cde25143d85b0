using System.Text.Json.Nodes;
using Engagements.Cards;

namespace Engagements.Playbooks;

public sealed class PlaybookReport(CardCatalog cards)
{
    public Task<JsonObject> CardAsync(CancellationToken cancellationToken) =>
        Task.FromResult(cards.Render("message", new { title = "Playbooks", text = "Playbooks are not built yet.", style = "warning" }));
}
