using Engagements.BotFramework.Connector;
using Engagements.BotFramework.Hosting;
using Engagements.Cards;
using Engagements.Conversations;
using Engagements.Customers;
using Engagements.Audit;
using Engagements.Outbox;
using Engagements.Roles;

namespace Engagements.Bot;

public static class BotServiceCollectionExtensions
{
    /// <summary>The protocol layer (inbound auth, connector) plus the app's turn handling.</summary>
    public static IHostApplicationBuilder AddBot(this IHostApplicationBuilder builder)
    {
        builder.Services.AddBotFramework(builder.Configuration);
        builder.Services.AddBotConnector(builder.Configuration);
        builder.Services.AddCards();
        builder.Services.AddCustomerMatching();
        builder.Services.AddOptions<RolesOptions>().BindConfiguration("Roles");
        builder.Services.AddScoped<RoleService>();
        builder.Services.AddScoped<RoleAdministration>();
        builder.Services.AddScoped<ChannelBindings>();
        builder.Services.AddScoped<ConversationStore>();
        builder.Services.AddScoped<CommandRouter>();
        builder.Services.AddScoped<CardActionRouter>();
        builder.Services.AddScoped<IBot, EngagementsBot>();
        builder.Services.AddScoped<OutboxWriter>();
        builder.Services.AddScoped<AuditLog>();
        return builder;
    }
}
