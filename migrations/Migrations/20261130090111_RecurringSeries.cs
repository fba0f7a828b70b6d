using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Organizer.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class RecurringSeries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<DateOnly>>(
                name: "except_dates",
                table: "events",
                type: "date[]",
                nullable: false,
                defaultValueSql: "'{}'");

            migrationBuilder.AddColumn<string>(
                name: "recurrence",
                table: "events",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "series_end_date",
                table: "events",
                type: "date",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "occurrence_overrides",
                columns: table => new
                {
                    event_id = table.Column<Guid>(type: "uuid", nullable: false),
                    occurrence = table.Column<DateOnly>(type: "date", nullable: false),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    status_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    place_id = table.Column<Guid>(type: "uuid", nullable: true),
                    start = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    end = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    sequence = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_occurrence_overrides", x => new { x.event_id, x.occurrence });
                    table.ForeignKey(
                        name: "fk_occurrence_overrides_events_event_id",
                        column: x => x.event_id,
                        principalTable: "events",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_occurrence_overrides_places_place_id",
                        column: x => x.place_id,
                        principalTable: "places",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_occurrence_overrides_place_id",
                table: "occurrence_overrides",
                column: "place_id");

            // Series are few among events: queries over a window read them here, by their first day, not among all
            // events.
            migrationBuilder.Sql("CREATE INDEX ix_events_series ON events (start_date) INCLUDE (series_end_date) WHERE recurrence IS NOT NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX ix_events_series;");

            migrationBuilder.DropTable(
                name: "occurrence_overrides");

            migrationBuilder.DropColumn(
                name: "except_dates",
                table: "events");

            migrationBuilder.DropColumn(
                name: "recurrence",
                table: "events");

            migrationBuilder.DropColumn(
                name: "series_end_date",
                table: "events");
        }
    }
}
