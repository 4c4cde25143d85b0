using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Engagements.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ConversationWelcomeAndOutboxThreads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ResultConversationId",
                table: "OutboxMessages",
                type: "TEXT",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UpdatesIdempotencyKey",
                table: "OutboxMessages",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "WelcomedAt",
                table: "Conversations",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ResultConversationId",
                table: "OutboxMessages");

            migrationBuilder.DropColumn(
                name: "UpdatesIdempotencyKey",
                table: "OutboxMessages");

            migrationBuilder.DropColumn(
                name: "WelcomedAt",
                table: "Conversations");
        }
    }
}
