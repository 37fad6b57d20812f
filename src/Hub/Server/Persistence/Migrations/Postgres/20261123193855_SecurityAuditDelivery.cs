using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace OneThing.Hub.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SecurityAuditDelivery : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "HolderIndex",
                table: "certificates",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ApplicantIndex",
                table: "applications",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "audit_log",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    At = table.Column<long>(type: "bigint", nullable: false),
                    Actor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Action = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Resource = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Origin = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Detail = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Sequence = table.Column<long>(type: "bigint", nullable: true),
                    PreviousHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_log", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "callback_nonces",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Department = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Nonce = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    KeyId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ReceivedAt = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_callback_nonces", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "deliveries",
                columns: table => new
                {
                    ApplicationId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Method = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    State = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Documents = table.Column<string>(type: "text", nullable: false),
                    PickupSite = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Carrier = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    TrackingNumber = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    ShippedAt = table.Column<long>(type: "bigint", nullable: true),
                    ShippedBy = table.Column<string>(type: "character varying(160)", maxLength: 160, nullable: true),
                    DeliveredAt = table.Column<long>(type: "bigint", nullable: true),
                    DeliveredBy = table.Column<string>(type: "character varying(160)", maxLength: 160, nullable: true),
                    DeliveryNote = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Collector = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    CollectorName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    CollectorIdLast4 = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: true),
                    PickupWindow = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    PickedUpAt = table.Column<long>(type: "bigint", nullable: true),
                    PickedUpBy = table.Column<string>(type: "character varying(160)", maxLength: 160, nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    ReadyAt = table.Column<long>(type: "bigint", nullable: true),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false),
                    Revision = table.Column<int>(type: "integer", nullable: false),
                    History = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_deliveries", x => x.ApplicationId);
                    table.ForeignKey(
                        name: "FK_deliveries_applications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "applications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_certificates_HolderIndex_Id",
                table: "certificates",
                columns: new[] { "HolderIndex", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_applications_ApplicantIndex_CreatedAt",
                table: "applications",
                columns: new[] { "ApplicantIndex", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_log_Resource",
                table: "audit_log",
                column: "Resource");

            migrationBuilder.CreateIndex(
                name: "IX_audit_log_Sequence",
                table: "audit_log",
                column: "Sequence",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_callback_nonces_Department_Nonce",
                table: "callback_nonces",
                columns: new[] { "Department", "Nonce" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_callback_nonces_ExpiresAt",
                table: "callback_nonces",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_deliveries_State_Method_ReadyAt",
                table: "deliveries",
                columns: new[] { "State", "Method", "ReadyAt" });

            migrationBuilder.CreateIndex(
                name: "IX_deliveries_TrackingNumber",
                table: "deliveries",
                column: "TrackingNumber");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_log");

            migrationBuilder.DropTable(
                name: "callback_nonces");

            migrationBuilder.DropTable(
                name: "deliveries");

            migrationBuilder.DropIndex(
                name: "IX_certificates_HolderIndex_Id",
                table: "certificates");

            migrationBuilder.DropIndex(
                name: "IX_applications_ApplicantIndex_CreatedAt",
                table: "applications");

            migrationBuilder.DropColumn(
                name: "HolderIndex",
                table: "certificates");

            migrationBuilder.DropColumn(
                name: "ApplicantIndex",
                table: "applications");
        }
    }
}
