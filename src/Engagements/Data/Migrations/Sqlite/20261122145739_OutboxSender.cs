using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Engagements.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OutboxSender : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_ConversationId_State_Sequence",
                table: "OutboxMessages");

            migrationBuilder.AddColumn<string>(
                name: "OrderingKey",
                table: "OutboxMessages",
                type: "TEXT",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RendersVersion",
                table: "OutboxMessages",
                type: "INTEGER",
                nullable: true);

            // Messages written before this column existed: their conversation (or recipient) is their queue.
            migrationBuilder.Sql("""UPDATE "OutboxMessages" SET "OrderingKey" = COALESCE("ConversationId", 'user:' || "RecipientAadObjectId")""");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_OrderingKey_SentAt",
                table: "OutboxMessages",
                columns: new[] { "OrderingKey", "SentAt" });

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_OrderingKey_State_Sequence",
                table: "OutboxMessages",
                columns: new[] { "OrderingKey", "State", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_UpdatesIdempotencyKey",
                table: "OutboxMessages",
                column: "UpdatesIdempotencyKey");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_OrderingKey_SentAt",
                table: "OutboxMessages");

            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_OrderingKey_State_Sequence",
                table: "OutboxMessages");

            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_UpdatesIdempotencyKey",
                table: "OutboxMessages");

            migrationBuilder.DropColumn(
                name: "OrderingKey",
                table: "OutboxMessages");

            migrationBuilder.DropColumn(
                name: "RendersVersion",
                table: "OutboxMessages");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_ConversationId_State_Sequence",
                table: "OutboxMessages",
                columns: new[] { "ConversationId", "State", "Sequence" });
        }
    }
}
