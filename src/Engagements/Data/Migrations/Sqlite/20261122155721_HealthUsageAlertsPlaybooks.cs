using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Engagements.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class HealthUsageAlertsPlaybooks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Purpose",
                table: "Alerts",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "EmailUnsubscribes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Email = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PlaybookId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EmailUnsubscribes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PlaybookRuns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PlaybookId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EnrolmentKey = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RunAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PlaybookRuns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PlaybookRuns_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_EmailUnsubscribes_Email",
                table: "EmailUnsubscribes",
                column: "Email",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_EmailUnsubscribes_PlaybookId",
                table: "EmailUnsubscribes",
                column: "PlaybookId");

            migrationBuilder.CreateIndex(
                name: "IX_PlaybookRuns_CustomerId_PlaybookId_RunAt",
                table: "PlaybookRuns",
                columns: new[] { "CustomerId", "PlaybookId", "RunAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PlaybookRuns_PlaybookId_CustomerId_EnrolmentKey",
                table: "PlaybookRuns",
                columns: new[] { "PlaybookId", "CustomerId", "EnrolmentKey" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EmailUnsubscribes");

            migrationBuilder.DropTable(
                name: "PlaybookRuns");

            migrationBuilder.DropColumn(
                name: "Purpose",
                table: "Alerts");
        }
    }
}
