namespace Engagements.Mail;

public static class MailServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddMail(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IMailSender, UnconfiguredMailSender>();
        return builder;
    }
}
