using System.Runtime.CompilerServices;
using Engagements.BotFramework.Schema;

namespace Engagements.BotFramework.Connector;

public static class ConnectorClientExtensions
{
    /// <summary>Every member, page by page. Teams clamps pageSize to 50..500 (notes §3.4).</summary>
    public static async IAsyncEnumerable<ChannelAccount> GetAllMembersAsync(
        this IConnectorClient client, string serviceUrl, string conversationId, int pageSize = 500,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        string? continuationToken = null;
        do
        {
            var page = await client.GetPagedMembersAsync(serviceUrl, conversationId, pageSize, continuationToken, cancellationToken);
            foreach (var member in page.Members)
            {
                yield return member;
            }

            continuationToken = page.ContinuationToken;
        }
        while (!string.IsNullOrEmpty(continuationToken));
    }
}
