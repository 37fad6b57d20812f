using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OneThing.Hub.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ItemReviewStage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Stage",
                table: "application_items",
                type: "TEXT",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Stage",
                table: "application_items");
        }
    }
}
