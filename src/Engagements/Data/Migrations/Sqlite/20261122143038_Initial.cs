using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Engagements.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AuditEntries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ActorAadObjectId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    EntityType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    EntityId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    BeforeJson = table.Column<string>(type: "TEXT", nullable: true),
                    AfterJson = table.Column<string>(type: "TEXT", nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditEntries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ChannelBindings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ConversationId = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    BoundByAadObjectId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    BoundAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChannelBindings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Conversations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ConversationId = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    ServiceUrl = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ChannelId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TeamId = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    TeamsChannelId = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    ConversationType = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    BotId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    UserAadObjectId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Conversations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Customers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CrmId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Segment = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Lifecycle = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SupportLevel = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    SeatsPurchased = table.Column<int>(type: "INTEGER", nullable: false),
                    CsmName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CsmEmail = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    CsmAadObjectId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ProductVersion = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Customers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Engineers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Email = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    Phone = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    TeamsUserId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    AadObjectId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TimeZone = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    StartDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Skills = table.Column<string>(type: "TEXT", nullable: false),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Engineers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "OutboxMessages",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    IdempotencyKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ConversationId = table.Column<string>(type: "TEXT", nullable: true),
                    ServiceUrl = table.Column<string>(type: "TEXT", nullable: true),
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RecipientAadObjectId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    TargetActivityId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    PayloadJson = table.Column<string>(type: "TEXT", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LeaseOwner = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    LeaseUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ResultActivityId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    RelatedEntityType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RelatedEntityId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutboxMessages", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "ProcessedActivities",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Key = table.Column<string>(type: "TEXT", maxLength: 900, nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProcessedActivities", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RoleAssignments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    AadObjectId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    GrantedByAadObjectId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    GrantedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RoleAssignments", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AccessListEntries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    System = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ContactTo = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    Cc = table.Column<string>(type: "TEXT", nullable: false),
                    Method = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CustomSubject = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    OtherRequirements = table.Column<string>(type: "TEXT", nullable: true),
                    ExpectedDaysToCreate = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessListEntries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AccessListEntries_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Alerts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Severity = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DedupeKey = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstSeenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastSeenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AcknowledgedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AcknowledgedByAadObjectId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    SnoozedUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    ResolvedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ConversationId = table.Column<string>(type: "TEXT", nullable: true),
                    PostedActivityId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Alerts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Alerts_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "HealthSnapshots",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Score = table.Column<int>(type: "INTEGER", nullable: false),
                    Band = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Trend = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ComputedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Components = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HealthSnapshots", x => x.Id);
                    table.ForeignKey(
                        name: "FK_HealthSnapshots_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Opportunities",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CrmId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CloseDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Amount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    ContractReference = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    MouReference = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Opportunities", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Opportunities_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SeatReadings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ActiveSeats = table.Column<int>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SeatReadings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SeatReadings_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Signals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SignalId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Value = table.Column<double>(type: "REAL", nullable: true),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Signals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Signals_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "UsageEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EventId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Feature = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    OccurredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ProductVersion = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsageEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_UsageEvents_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Engagements",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OpportunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StartDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    EndDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ManagerAadObjectId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ManagerName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Engagements", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Engagements_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Engagements_Opportunities_OpportunityId",
                        column: x => x.OpportunityId,
                        principalTable: "Opportunities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AccountRequests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    EngagementId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EngineerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AccessListEntryId = table.Column<Guid>(type: "TEXT", nullable: false),
                    System = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    NotBefore = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    RequestDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ExpectedBy = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    VerifiedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FailureReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccountRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AccountRequests_AccessListEntries_AccessListEntryId",
                        column: x => x.AccessListEntryId,
                        principalTable: "AccessListEntries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AccountRequests_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AccountRequests_Engagements_EngagementId",
                        column: x => x.EngagementId,
                        principalTable: "Engagements",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AccountRequests_Engineers_EngineerId",
                        column: x => x.EngineerId,
                        principalTable: "Engineers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AssignmentRequests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    EngagementId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SuggestedEngineerIds = table.Column<string>(type: "TEXT", nullable: false),
                    AssignedEngineerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    DecidedByAadObjectId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    DecidedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecisionNote = table.Column<string>(type: "TEXT", nullable: true),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RemindedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EscalatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ConversationId = table.Column<string>(type: "TEXT", nullable: true),
                    ActivityId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssignmentRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AssignmentRequests_Engagements_EngagementId",
                        column: x => x.EngagementId,
                        principalTable: "Engagements",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AssignmentRequests_Engineers_AssignedEngineerId",
                        column: x => x.AssignedEngineerId,
                        principalTable: "Engineers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "EngagementEngineers",
                columns: table => new
                {
                    EngagementId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EngineerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AssignedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ReleasedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EngagementEngineers", x => new { x.EngagementId, x.EngineerId });
                    table.ForeignKey(
                        name: "FK_EngagementEngineers_Engagements_EngagementId",
                        column: x => x.EngagementId,
                        principalTable: "Engagements",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_EngagementEngineers_Engineers_EngineerId",
                        column: x => x.EngineerId,
                        principalTable: "Engineers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Projects",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    EngagementId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SowReference = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Projects", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Projects_Engagements_EngagementId",
                        column: x => x.EngagementId,
                        principalTable: "Engagements",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AccountRequestFollowUps",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    AccountRequestId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    ActorAadObjectId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccountRequestFollowUps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AccountRequestFollowUps_AccountRequests_AccountRequestId",
                        column: x => x.AccountRequestId,
                        principalTable: "AccountRequests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Deliverables",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProjectId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    DoneCriterion = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    OwnerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    DueDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    GitHubIssueUrl = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    IsBlocked = table.Column<bool>(type: "INTEGER", nullable: false),
                    BlockedReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    BlockedSince = table.Column<long>(type: "INTEGER", nullable: true),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SortOrder = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Deliverables", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Deliverables_Engineers_OwnerId",
                        column: x => x.OwnerId,
                        principalTable: "Engineers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_Deliverables_Projects_ProjectId",
                        column: x => x.ProjectId,
                        principalTable: "Projects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "OnboardingPlans",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProjectId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TemplateId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    KickoffDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SuccessCriteria = table.Column<string>(type: "TEXT", nullable: false),
                    HandoffCriteria = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    HandedOffAt = table.Column<long>(type: "INTEGER", nullable: true),
                    HandedOffByAadObjectId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OnboardingPlans", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OnboardingPlans_Projects_ProjectId",
                        column: x => x.ProjectId,
                        principalTable: "Projects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PlanPhases",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PlanId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Order = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    StartDay = table.Column<int>(type: "INTEGER", nullable: false),
                    EndDay = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ConfirmedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ConfirmedByAadObjectId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ConfirmedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    UnmetTargetsReason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    ConfirmationConversationId = table.Column<string>(type: "TEXT", nullable: true),
                    ConfirmationActivityId = table.Column<string>(type: "TEXT", nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false),
                    Targets = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PlanPhases", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PlanPhases_OnboardingPlans_PlanId",
                        column: x => x.PlanId,
                        principalTable: "OnboardingPlans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ChecklistItems",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PhaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Order = table.Column<int>(type: "INTEGER", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    OwnerRole = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DueDay = table.Column<int>(type: "INTEGER", nullable: false),
                    DoneAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DoneByAadObjectId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    DoneByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChecklistItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ChecklistItems_PlanPhases_PhaseId",
                        column: x => x.PhaseId,
                        principalTable: "PlanPhases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AccessListEntries_CustomerId_System",
                table: "AccessListEntries",
                columns: new[] { "CustomerId", "System" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AccountRequestFollowUps_AccountRequestId_At",
                table: "AccountRequestFollowUps",
                columns: new[] { "AccountRequestId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_AccountRequests_AccessListEntryId",
                table: "AccountRequests",
                column: "AccessListEntryId");

            migrationBuilder.CreateIndex(
                name: "IX_AccountRequests_CustomerId",
                table: "AccountRequests",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_AccountRequests_EngagementId_EngineerId_AccessListEntryId",
                table: "AccountRequests",
                columns: new[] { "EngagementId", "EngineerId", "AccessListEntryId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AccountRequests_EngineerId_Status",
                table: "AccountRequests",
                columns: new[] { "EngineerId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_AccountRequests_Status_ExpectedBy",
                table: "AccountRequests",
                columns: new[] { "Status", "ExpectedBy" });

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_CustomerId_State",
                table: "Alerts",
                columns: new[] { "CustomerId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_DedupeKey_Open",
                table: "Alerts",
                column: "DedupeKey",
                unique: true,
                filter: "\"State\" <> 'Resolved'");

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_State_LastSeenAt",
                table: "Alerts",
                columns: new[] { "State", "LastSeenAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentRequests_AssignedEngineerId",
                table: "AssignmentRequests",
                column: "AssignedEngineerId");

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentRequests_EngagementId",
                table: "AssignmentRequests",
                column: "EngagementId",
                unique: true,
                filter: "\"Status\" = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentRequests_Status_RequestedAt",
                table: "AssignmentRequests",
                columns: new[] { "Status", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_At",
                table: "AuditEntries",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_EntityType_EntityId_At",
                table: "AuditEntries",
                columns: new[] { "EntityType", "EntityId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_ChannelBindings_Purpose",
                table: "ChannelBindings",
                column: "Purpose",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ChecklistItems_PhaseId_Order",
                table: "ChecklistItems",
                columns: new[] { "PhaseId", "Order" });

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_ConversationId",
                table: "Conversations",
                column: "ConversationId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_UserAadObjectId",
                table: "Conversations",
                column: "UserAadObjectId");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_CrmId",
                table: "Customers",
                column: "CrmId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Customers_Name",
                table: "Customers",
                column: "Name");

            migrationBuilder.CreateIndex(
                name: "IX_Deliverables_GitHubIssueUrl",
                table: "Deliverables",
                column: "GitHubIssueUrl");

            migrationBuilder.CreateIndex(
                name: "IX_Deliverables_OwnerId_Status",
                table: "Deliverables",
                columns: new[] { "OwnerId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Deliverables_ProjectId_Status",
                table: "Deliverables",
                columns: new[] { "ProjectId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_EngagementEngineers_EngineerId_AssignedAt",
                table: "EngagementEngineers",
                columns: new[] { "EngineerId", "AssignedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Engagements_CustomerId_Status",
                table: "Engagements",
                columns: new[] { "CustomerId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Engagements_OpportunityId",
                table: "Engagements",
                column: "OpportunityId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Engineers_AadObjectId",
                table: "Engineers",
                column: "AadObjectId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Engineers_Email",
                table: "Engineers",
                column: "Email");

            migrationBuilder.CreateIndex(
                name: "IX_HealthSnapshots_CustomerId_Day",
                table: "HealthSnapshots",
                columns: new[] { "CustomerId", "Day" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_HealthSnapshots_Day_Band",
                table: "HealthSnapshots",
                columns: new[] { "Day", "Band" });

            migrationBuilder.CreateIndex(
                name: "IX_OnboardingPlans_ProjectId",
                table: "OnboardingPlans",
                column: "ProjectId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OnboardingPlans_State_KickoffDate",
                table: "OnboardingPlans",
                columns: new[] { "State", "KickoffDate" });

            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_CrmId",
                table: "Opportunities",
                column: "CrmId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_CustomerId",
                table: "Opportunities",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_ConversationId_State_Sequence",
                table: "OutboxMessages",
                columns: new[] { "ConversationId", "State", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_IdempotencyKey",
                table: "OutboxMessages",
                column: "IdempotencyKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_State_NextAttemptAt",
                table: "OutboxMessages",
                columns: new[] { "State", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PlanPhases_PlanId_Order",
                table: "PlanPhases",
                columns: new[] { "PlanId", "Order" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PlanPhases_Status",
                table: "PlanPhases",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_ProcessedActivities_Key",
                table: "ProcessedActivities",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ProcessedActivities_ReceivedAt",
                table: "ProcessedActivities",
                column: "ReceivedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Projects_EngagementId",
                table: "Projects",
                column: "EngagementId");

            migrationBuilder.CreateIndex(
                name: "IX_RoleAssignments_AadObjectId_Role",
                table: "RoleAssignments",
                columns: new[] { "AadObjectId", "Role" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RoleAssignments_Role",
                table: "RoleAssignments",
                column: "Role");

            migrationBuilder.CreateIndex(
                name: "IX_SeatReadings_CustomerId_At",
                table: "SeatReadings",
                columns: new[] { "CustomerId", "At" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Signals_CustomerId_Kind_At",
                table: "Signals",
                columns: new[] { "CustomerId", "Kind", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Signals_SignalId",
                table: "Signals",
                column: "SignalId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_UsageEvents_CustomerId_Feature_OccurredAt",
                table: "UsageEvents",
                columns: new[] { "CustomerId", "Feature", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_UsageEvents_CustomerId_OccurredAt",
                table: "UsageEvents",
                columns: new[] { "CustomerId", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_UsageEvents_EventId",
                table: "UsageEvents",
                column: "EventId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AccountRequestFollowUps");

            migrationBuilder.DropTable(
                name: "Alerts");

            migrationBuilder.DropTable(
                name: "AssignmentRequests");

            migrationBuilder.DropTable(
                name: "AuditEntries");

            migrationBuilder.DropTable(
                name: "ChannelBindings");

            migrationBuilder.DropTable(
                name: "ChecklistItems");

            migrationBuilder.DropTable(
                name: "Conversations");

            migrationBuilder.DropTable(
                name: "Deliverables");

            migrationBuilder.DropTable(
                name: "EngagementEngineers");

            migrationBuilder.DropTable(
                name: "HealthSnapshots");

            migrationBuilder.DropTable(
                name: "OutboxMessages");

            migrationBuilder.DropTable(
                name: "ProcessedActivities");

            migrationBuilder.DropTable(
                name: "RoleAssignments");

            migrationBuilder.DropTable(
                name: "SeatReadings");

            migrationBuilder.DropTable(
                name: "Signals");

            migrationBuilder.DropTable(
                name: "UsageEvents");

            migrationBuilder.DropTable(
                name: "AccountRequests");

            migrationBuilder.DropTable(
                name: "PlanPhases");

            migrationBuilder.DropTable(
                name: "AccessListEntries");

            migrationBuilder.DropTable(
                name: "Engineers");

            migrationBuilder.DropTable(
                name: "OnboardingPlans");

            migrationBuilder.DropTable(
                name: "Projects");

            migrationBuilder.DropTable(
                name: "Engagements");

            migrationBuilder.DropTable(
                name: "Opportunities");

            migrationBuilder.DropTable(
                name: "Customers");
        }
    }
}
