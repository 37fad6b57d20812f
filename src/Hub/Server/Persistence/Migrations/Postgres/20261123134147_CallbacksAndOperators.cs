using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace OneThing.Hub.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CallbacksAndOperators : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "StateChangedAt",
                table: "application_items",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // Items submitted before this column existed entered their state no later than their last change.
            migrationBuilder.Sql("UPDATE \"application_items\" SET \"StateChangedAt\" = \"UpdatedAt\";");

            migrationBuilder.CreateTable(
                name: "department_callbacks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Department = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    CaseNumber = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    IdempotencyKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ApplicationId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    ItemCode = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    OutcomeKind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    OutcomeJson = table.Column<string>(type: "text", nullable: false),
                    SentAt = table.Column<long>(type: "bigint", nullable: true),
                    ReceivedAt = table.Column<long>(type: "bigint", nullable: false),
                    Disposition = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    DuplicateCount = table.Column<int>(type: "integer", nullable: false),
                    LastDuplicateAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_department_callbacks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "operator_actions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OperatorId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Target = table.Column<string>(type: "character varying(160)", maxLength: 160, nullable: false),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    At = table.Column<long>(type: "bigint", nullable: false),
                    Outcome = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_operator_actions", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_application_items_State_DueDate",
                table: "application_items",
                columns: new[] { "State", "DueDate" });

            migrationBuilder.CreateIndex(
                name: "IX_application_items_State_StateChangedAt",
                table: "application_items",
                columns: new[] { "State", "StateChangedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_department_callbacks_Department_CaseNumber_Sequence",
                table: "department_callbacks",
                columns: new[] { "Department", "CaseNumber", "Sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_department_callbacks_IdempotencyKey",
                table: "department_callbacks",
                column: "IdempotencyKey");

            migrationBuilder.CreateIndex(
                name: "IX_operator_actions_OperatorId",
                table: "operator_actions",
                column: "OperatorId");

            migrationBuilder.CreateIndex(
                name: "IX_operator_actions_Target",
                table: "operator_actions",
                column: "Target");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "department_callbacks");

            migrationBuilder.DropTable(
                name: "operator_actions");

            migrationBuilder.DropIndex(
                name: "IX_application_items_State_DueDate",
                table: "application_items");

            migrationBuilder.DropIndex(
                name: "IX_application_items_State_StateChangedAt",
                table: "application_items");

            migrationBuilder.DropColumn(
                name: "StateChangedAt",
                table: "application_items");
        }
    }
}
