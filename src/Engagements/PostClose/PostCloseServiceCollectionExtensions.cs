namespace Engagements.PostClose;

public static class PostCloseServiceCollectionExtensions
{
    /// <summary>The post-close checklist: opened by intake, ticked on its card, read by status and the phase confirmation.</summary>
    public static IHostApplicationBuilder AddPostClose(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<PostCloseService>();
        return builder;
    }
}
