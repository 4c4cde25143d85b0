using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Identity.Client;

namespace Engagements.Mail;

public static class MailServiceCollectionExtensions
{
    /// <summary>
    /// Microsoft Graph when Graph:* is configured; otherwise <see cref="UnconfiguredMailSender"/>, so emails are recorded
    /// (visible, not sent). A half-filled Graph section stops the app at startup rather than silently not mailing.
    /// </summary>
    public static IHostApplicationBuilder AddMail(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Graph");
        builder.Services.AddOptions<GraphOptions>().Bind(section);
        var graph = section.Get<GraphOptions>() ?? new GraphOptions();
        if (graph.IsPartlyConfigured)
        {
            throw new InvalidOperationException(
                $"Microsoft Graph is partly configured; also set {string.Join(", ", graph.Missing())}, or remove the Graph section to record emails instead.");
        }
        if (!graph.IsConfigured)
        {
            builder.Services.AddSingleton<IMailSender, UnconfiguredMailSender>();
            return builder;
        }

        builder.Services.AddSingleton(sp => new GraphTokenProvider(
            sp.GetRequiredService<IOptions<GraphOptions>>(), sp.GetService<IMsalHttpClientFactory>()));
        builder.Services.AddHttpClient(nameof(GraphMailSender));
        builder.Services.AddSingleton(sp => GraphMailSender.CreateClient(
            sp.GetRequiredService<IOptions<GraphOptions>>().Value,
            sp.GetRequiredService<GraphTokenProvider>(),
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(GraphMailSender))));
        builder.Services.AddSingleton<IMailSender>(sp => new GraphMailSender(
            sp.GetRequiredService<GraphServiceClient>(), sp.GetRequiredService<IOptions<GraphOptions>>()));
        return builder;
    }
}
