using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Engagements.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AssignmentRejectionReopens : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "PreviousRequestId",
                table: "AssignmentRequests",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "RejectedEngineerId",
                table: "AssignmentRequests",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentRequests_PreviousRequestId",
                table: "AssignmentRequests",
                column: "PreviousRequestId");

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentRequests_RejectedEngineerId",
                table: "AssignmentRequests",
                column: "RejectedEngineerId");

            migrationBuilder.AddForeignKey(
                name: "FK_AssignmentRequests_AssignmentRequests_PreviousRequestId",
                table: "AssignmentRequests",
                column: "PreviousRequestId",
                principalTable: "AssignmentRequests",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_AssignmentRequests_Engineers_RejectedEngineerId",
                table: "AssignmentRequests",
                column: "RejectedEngineerId",
                principalTable: "Engineers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_AssignmentRequests_AssignmentRequests_PreviousRequestId",
                table: "AssignmentRequests");

            migrationBuilder.DropForeignKey(
                name: "FK_AssignmentRequests_Engineers_RejectedEngineerId",
                table: "AssignmentRequests");

            migrationBuilder.DropIndex(
                name: "IX_AssignmentRequests_PreviousRequestId",
                table: "AssignmentRequests");

            migrationBuilder.DropIndex(
                name: "IX_AssignmentRequests_RejectedEngineerId",
                table: "AssignmentRequests");

            migrationBuilder.DropColumn(
                name: "PreviousRequestId",
                table: "AssignmentRequests");

            migrationBuilder.DropColumn(
                name: "RejectedEngineerId",
                table: "AssignmentRequests");
        }
    }
}
