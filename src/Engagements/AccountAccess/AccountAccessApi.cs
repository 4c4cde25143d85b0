using Engagements.Links;

namespace Engagements.AccountAccess;

public static class AccountAccessApi
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>GET /api/follow-up/export/{token}: the follow-up document as .xlsx; the signed token is the only permission.</summary>
    public static WebApplication MapAccountAccess(this WebApplication app)
    {
        app.MapGet("/" + AccountAccessCommands.ExportPath + "/{token}", async (string token, SignedLinks links, FollowUpDocument document, TimeProvider clock, CancellationToken cancellationToken) =>
        {
            if (links.Verify(AccountAccessCommands.ExportPurpose, token) is null)
            {
                return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "This link has expired or is not valid. Ask the bot for a new one: follow-up export.");
            }

            var rows = await document.RowsAsync(null, overdueOnly: false, cancellationToken);
            var file = new MemoryStream();
            FollowUpDocument.WriteXlsx(rows, file);
            file.Position = 0;
            var day = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            return Results.File(file, XlsxContentType, $"follow-up-{day}.xlsx");
        }).AllowAnonymous();
        return app;
    }
}
