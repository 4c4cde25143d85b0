using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Users.Item.SendMail;
using Microsoft.Kiota.Abstractions.Authentication;

namespace Engagements.Mail;

/// <summary>Sends through Microsoft Graph as Graph:SenderMailbox (POST /users/{mailbox}/sendMail).</summary>
public sealed class GraphMailSender(GraphServiceClient graph, IOptions<GraphOptions> options) : IMailSender
{
    public bool CanSend => true;

    public Task SendAsync(EmailMessage email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        var body = new SendMailPostRequestBody
        {
            Message = new Message
            {
                Subject = email.Subject,
                Body = new ItemBody { ContentType = BodyType.Html, Content = email.HtmlBody },
                ToRecipients = [.. email.To.Select(Recipient)],
                CcRecipients = [.. email.Cc.Select(Recipient)],
            },
            SaveToSentItems = true,
        };
        return graph.Users[options.Value.SenderMailbox].SendMail.PostAsync(body, cancellationToken: cancellationToken);
    }

    private static Recipient Recipient(string address) => new() { EmailAddress = new EmailAddress { Address = address } };

    public static GraphServiceClient CreateClient(GraphOptions options, IAccessTokenProvider tokens, HttpClient httpClient) =>
        new(httpClient, new BaseBearerTokenAuthenticationProvider(tokens), options.BaseUrl.TrimEnd('/'));
}
