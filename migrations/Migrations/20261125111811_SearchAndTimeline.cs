using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NpgsqlTypes;

#nullable disable

namespace Organizer.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class SearchAndTimeline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Accent-insensitive search: a text search configuration that unaccents words before English stemming,
            // so "Anez" finds "Áñez" and "Pinera" finds "Piņera". unaccent ships with PostgreSQL's contrib package.
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS unaccent;");
            migrationBuilder.Sql("""
                CREATE TEXT SEARCH CONFIGURATION organizer_search (COPY = english);
                ALTER TEXT SEARCH CONFIGURATION organizer_search
                    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
                """);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "sort_at",
                table: "event_participations",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<NpgsqlTsVector>(
                name: "search_vector",
                table: "statements",
                type: "tsvector",
                nullable: true,
                computedColumnSql: "setweight(to_tsvector('organizer_search'::regconfig, coalesce(title, '')), 'A') || setweight(to_tsvector('organizer_search'::regconfig, coalesce(summary, '')), 'B') || setweight(to_tsvector('organizer_search'::regconfig, coalesce(text, '')), 'C')",
                stored: true);

            migrationBuilder.AddColumn<NpgsqlTsVector>(
                name: "search_vector",
                table: "resolutions",
                type: "tsvector",
                nullable: true,
                computedColumnSql: "setweight(to_tsvector('organizer_search'::regconfig, coalesce(title, '')), 'A') || setweight(to_tsvector('organizer_search'::regconfig, coalesce(text, '')), 'B')",
                stored: true);

            migrationBuilder.AddColumn<NpgsqlTsVector>(
                name: "search_vector",
                table: "organizations",
                type: "tsvector",
                nullable: true,
                computedColumnSql: "setweight(to_tsvector('organizer_search'::regconfig, coalesce(name, '')), 'A') || setweight(to_tsvector('organizer_search'::regconfig, coalesce(description, '')), 'B')",
                stored: true);

            migrationBuilder.AddColumn<NpgsqlTsVector>(
                name: "search_vector",
                table: "events",
                type: "tsvector",
                nullable: true,
                computedColumnSql: "setweight(to_tsvector('organizer_search'::regconfig, coalesce(title, '')), 'A') || setweight(to_tsvector('organizer_search'::regconfig, coalesce(description, '')), 'B')",
                stored: true);

            migrationBuilder.CreateIndex(
                name: "ix_statements_issued_on",
                table: "statements",
                column: "issued_on");

            migrationBuilder.CreateIndex(
                name: "ix_statements_search_vector",
                table: "statements",
                column: "search_vector")
                .Annotation("Npgsql:IndexMethod", "GIN");

            migrationBuilder.CreateIndex(
                name: "ix_resolutions_search_vector",
                table: "resolutions",
                column: "search_vector")
                .Annotation("Npgsql:IndexMethod", "GIN");

            migrationBuilder.CreateIndex(
                name: "ix_organizations_search_vector",
                table: "organizations",
                column: "search_vector")
                .Annotation("Npgsql:IndexMethod", "GIN");

            migrationBuilder.CreateIndex(
                name: "ix_events_search_vector",
                table: "events",
                column: "search_vector")
                .Annotation("Npgsql:IndexMethod", "GIN");
            // event_participations.sort_at mirrors events.sort_at, so an organization's timeline reads one index in order.
            migrationBuilder.Sql("""
                UPDATE event_participations p SET sort_at = e.sort_at FROM events e WHERE e.id = p.event_id;

                CREATE FUNCTION organizer_participation_sort_at() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    SELECT e.sort_at INTO NEW.sort_at FROM events e WHERE e.id = NEW.event_id;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER event_participations_sort_at BEFORE INSERT OR UPDATE OF event_id ON event_participations
                    FOR EACH ROW EXECUTE FUNCTION organizer_participation_sort_at();

                CREATE FUNCTION organizer_event_sort_at_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE event_participations SET sort_at = NEW.sort_at WHERE event_id = NEW.id;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER events_sort_at_changed AFTER UPDATE OF sort_at ON events
                    FOR EACH ROW WHEN (OLD.sort_at IS DISTINCT FROM NEW.sort_at) EXECUTE FUNCTION organizer_event_sort_at_changed();

                CREATE INDEX ix_event_participations_timeline ON event_participations (organization_id, sort_at DESC, event_id DESC);
                """);
        }


        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX ix_event_participations_timeline;
                DROP TRIGGER events_sort_at_changed ON events;
                DROP FUNCTION organizer_event_sort_at_changed();
                DROP TRIGGER event_participations_sort_at ON event_participations;
                DROP FUNCTION organizer_participation_sort_at();
                """);

            migrationBuilder.DropIndex(
                name: "ix_statements_issued_on",
                table: "statements");

            migrationBuilder.DropIndex(
                name: "ix_statements_search_vector",
                table: "statements");

            migrationBuilder.DropIndex(
                name: "ix_resolutions_search_vector",
                table: "resolutions");

            migrationBuilder.DropIndex(
                name: "ix_organizations_search_vector",
                table: "organizations");

            migrationBuilder.DropIndex(
                name: "ix_events_search_vector",
                table: "events");

            migrationBuilder.DropColumn(
                name: "search_vector",
                table: "statements");

            migrationBuilder.DropColumn(
                name: "search_vector",
                table: "resolutions");

            migrationBuilder.DropColumn(
                name: "search_vector",
                table: "organizations");

            migrationBuilder.DropColumn(
                name: "search_vector",
                table: "events");

            migrationBuilder.DropColumn(
                name: "sort_at",
                table: "event_participations");
            migrationBuilder.Sql("DROP TEXT SEARCH CONFIGURATION organizer_search;");
        }
    }
}
