using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Organizer.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class PlaceVisibility : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "is_public",
                table: "places",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "recorded_by_id",
                table: "places",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_places_recorded_by_id",
                table: "places",
                column: "recorded_by_id");

            migrationBuilder.AddForeignKey(
                name: "fk_places_organizations_recorded_by_id",
                table: "places",
                column: "recorded_by_id",
                principalTable: "organizations",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);

            // Places cited from a published source (the seeded news reports) were public knowledge already; every other
            // place becomes public only through a public event that uses it.
            migrationBuilder.Sql("UPDATE places SET is_public = true WHERE citations IS NOT NULL AND jsonb_array_length(citations) > 0;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_places_organizations_recorded_by_id",
                table: "places");

            migrationBuilder.DropIndex(
                name: "ix_places_recorded_by_id",
                table: "places");

            migrationBuilder.DropColumn(
                name: "is_public",
                table: "places");

            migrationBuilder.DropColumn(
                name: "recorded_by_id",
                table: "places");
        }
    }
}
