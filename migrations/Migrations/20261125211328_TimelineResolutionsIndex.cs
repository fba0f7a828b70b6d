using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Organizer.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class TimelineResolutionsIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "has_resolutions",
                table: "event_participations",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // The timeline's resolutions branch walked an organization's participations in order and probed resolutions
            // for each (1,400 probes and a parallel plan for a page 100 pages deep at 1,000,000 events); a partial index
            // over the participations in events that have resolutions makes it a top-N index scan. See docs/performance.md.
            migrationBuilder.Sql("""
                UPDATE event_participations p SET has_resolutions = TRUE WHERE EXISTS (SELECT 1 FROM resolutions r WHERE r.event_id = p.event_id);

                CREATE FUNCTION organizer_participation_has_resolutions() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.has_resolutions := EXISTS (SELECT 1 FROM resolutions r WHERE r.event_id = NEW.event_id);
                    RETURN NEW;
                END $$;
                CREATE TRIGGER event_participations_has_resolutions BEFORE INSERT OR UPDATE OF event_id ON event_participations
                    FOR EACH ROW EXECUTE FUNCTION organizer_participation_has_resolutions();

                CREATE FUNCTION organizer_resolutions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP IN ('INSERT', 'UPDATE') THEN
                        UPDATE event_participations SET has_resolutions = TRUE WHERE event_id = NEW.event_id AND NOT has_resolutions;
                    END IF;
                    IF TG_OP IN ('DELETE', 'UPDATE') THEN
                        UPDATE event_participations SET has_resolutions = FALSE
                        WHERE event_id = OLD.event_id AND has_resolutions AND NOT EXISTS (SELECT 1 FROM resolutions r WHERE r.event_id = OLD.event_id);
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER resolutions_changed AFTER INSERT OR DELETE OR UPDATE OF event_id ON resolutions
                    FOR EACH ROW EXECUTE FUNCTION organizer_resolutions_changed();

                CREATE INDEX ix_event_participations_resolutions_timeline ON event_participations (organization_id, sort_at DESC, event_id DESC)
                    WHERE has_resolutions;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX ix_event_participations_resolutions_timeline;
                DROP TRIGGER resolutions_changed ON resolutions;
                DROP FUNCTION organizer_resolutions_changed();
                DROP TRIGGER event_participations_has_resolutions ON event_participations;
                DROP FUNCTION organizer_participation_has_resolutions();
                """);

            migrationBuilder.DropColumn(
                name: "has_resolutions",
                table: "event_participations");
        }
    }
}
