using Engagements.BotFramework.Schema;

namespace Engagements.BotFramework.Connector;

/// <summary>The two <c>POST v3/conversations</c> bodies Teams accepts (notes §3.3); it cannot create group chats or channels.</summary>
public static class TeamsConversations
{
    /// <summary>1:1 chat with a user who has the app installed. userId is the bot-specific "29:" id.</summary>
    public static ConversationParameters Personal(string botId, string userId, string tenantId) => new()
    {
        Bot = new ChannelAccount { Id = botId },
        Members = [new ChannelAccount { Id = userId }],
        TenantId = tenantId,
        ChannelData = new TeamsChannelData { Tenant = new TenantInfo { Id = tenantId } },
    };

    /// <summary>A new top-level post in a channel; the result's ConversationId is "{channelId};messageid={rootId}".</summary>
    public static ConversationParameters ChannelThread(string channelId, string tenantId, Activity activity) => new()
    {
        IsGroup = true,
        TenantId = tenantId,
        Activity = activity,
        ChannelData = new TeamsChannelData
        {
            Channel = new ChannelInfo { Id = channelId },
            Tenant = new TenantInfo { Id = tenantId },
        },
    };
}
