using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Engagements.Data.Migrations.Postgres
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
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PostCloseChecklists",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    EngagementId = table.Column<Guid>(type: "uuid", nullable: false),
                    PresalesEngineerAadObjectId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    PresalesEngineerName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    PresalesEngineerEmail = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    FallbackReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CompletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<long>(type: "bigint", nullable: false)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ChecklistId = table.Column<Guid>(type: "uuid", nullable: false),
                    Order = table.Column<int>(type: "integer", nullable: false),
                    Key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Detail = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Optional = table.Column<bool>(type: "boolean", nullable: false),
                    State = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ClosedByAadObjectId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ClosedByName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
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
