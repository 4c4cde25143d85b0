using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Engagements.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PostCloseChecklist : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Deployment",
                table: "Opportunities",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PostCloseChecklists",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    EngagementId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PresalesEngineerAadObjectId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    PresalesEngineerName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    PresalesEngineerEmail = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    FallbackReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PostCloseChecklists", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PostCloseChecklists_Engagements_EngagementId",
                        column: x => x.EngagementId,
                        principalTable: "Engagements",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PostCloseItems",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ChecklistId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Order = table.Column<int>(type: "INTEGER", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Optional = table.Column<bool>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClosedByAadObjectId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ClosedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PostCloseItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PostCloseItems_PostCloseChecklists_ChecklistId",
                        column: x => x.ChecklistId,
                        principalTable: "PostCloseChecklists",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PostCloseChecklists_EngagementId",
                table: "PostCloseChecklists",
                column: "EngagementId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PostCloseItems_ChecklistId_Key",
                table: "PostCloseItems",
                columns: new[] { "ChecklistId", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PostCloseItems_State",
                table: "PostCloseItems",
                column: "State");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PostCloseItems");

            migrationBuilder.DropTable(
                name: "PostCloseChecklists");

            migrationBuilder.DropColumn(
                name: "Deployment",
                table: "Opportunities");
        }
    }
}
