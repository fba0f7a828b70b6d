using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Organizer.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class SeriesInTheRecord : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "is_series",
                table: "event_participations",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // An organization's series, for the timeline and the summary to expand: is_series copies "the event is a
            // series" onto its participations (as sort_at and has_resolutions copy their event's), read by the same
            // trigger that copies sort_at, under the same row lock, and a partial index over those rows makes "this
            // organization's series" one probe. Series are few among events, so the index is small.
            migrationBuilder.Sql("""
                UPDATE event_participations p SET is_series = TRUE FROM events e WHERE e.id = p.event_id AND e.recurrence IS NOT NULL;

                CREATE OR REPLACE FUNCTION organizer_participation_sort_at() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    SELECT e.sort_at, e.recurrence IS NOT NULL INTO NEW.sort_at, NEW.is_series FROM events e WHERE e.id = NEW.event_id FOR NO KEY UPDATE;
                    RETURN NEW;
                END $$;

                CREATE FUNCTION organizer_event_series_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE event_participations SET is_series = (NEW.recurrence IS NOT NULL) WHERE event_id = NEW.id;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER events_series_changed AFTER UPDATE OF recurrence ON events
                    FOR EACH ROW WHEN ((OLD.recurrence IS NULL) <> (NEW.recurrence IS NULL)) EXECUTE FUNCTION organizer_event_series_changed();

                CREATE INDEX ix_event_participations_series ON event_participations (organization_id) INCLUDE (role) WHERE is_series;
                """);

            // A series counts by those of its occurrences that have taken place, which change with time, not with a
            // write: the kept counts (KeptOrganizationSummaries) leave series out, and the summary adds their occurrences when
            // it is read. The same predicate, "listed and not a series", in the recounts, the triggers and their
            // conditions; a series' visibility, status, date or kind then changes no kept count, and an event that
            // becomes a series (or stops being one) moves its participants' counts as a change of visibility would.
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION organizer_recount_event_counts() RETURNS TABLE (organization_id uuid, year integer, kind character varying, events integer)
                LANGUAGE sql STABLE AS $$
                    SELECT p.organization_id, EXTRACT(YEAR FROM e.start_date)::integer, e.kind, count(DISTINCT e.id)::integer
                    FROM event_participations p
                    JOIN events e ON e.id = p.event_id
                    WHERE e.visibility = 'Public' AND e.status <> 'Pending' AND e.recurrence IS NULL
                    GROUP BY 1, 2, 3
                $$;

                CREATE OR REPLACE FUNCTION organizer_recount_partners() RETURNS TABLE (organization_id uuid, partner_id uuid, shared_events integer)
                LANGUAGE sql STABLE AS $$
                    SELECT mine.organization_id, other.organization_id, count(DISTINCT e.id)::integer
                    FROM event_participations mine
                    JOIN events e ON e.id = mine.event_id
                    JOIN event_participations other ON other.event_id = mine.event_id AND other.organization_id <> mine.organization_id
                    WHERE e.visibility = 'Public' AND e.status <> 'Pending' AND e.recurrence IS NULL
                    GROUP BY 1, 2
                $$;

                CREATE OR REPLACE FUNCTION organizer_summary_participations() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    removed_event uuid[];
                    removed_org uuid[];
                    added_event uuid[];
                    added_org uuid[];
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        PERFORM 1 FROM events WHERE id IN (SELECT event_id FROM new_rows) ORDER BY id FOR NO KEY UPDATE;

                        WITH listed AS (
                            SELECT e.id, EXTRACT(YEAR FROM e.start_date)::integer AS year, e.kind
                            FROM events e
                            WHERE e.id IN (SELECT event_id FROM new_rows) AND e.visibility = 'Public' AND e.status <> 'Pending' AND e.recurrence IS NULL
                        ), counted AS (
                            INSERT INTO organization_event_counts AS t (organization_id, year, kind, events)
                            SELECT n.organization_id, l.year, l.kind, count(*)::integer
                            FROM new_rows n JOIN listed l ON l.id = n.event_id
                            GROUP BY 1, 2, 3
                            ORDER BY 1, 2, 3
                            ON CONFLICT (organization_id, year, kind) DO UPDATE SET events = t.events + excluded.events
                        )
                        INSERT INTO organization_partners AS t (organization_id, partner_id, shared_events)
                        SELECT a.organization_id, b.organization_id, count(*)::integer
                        FROM event_participations a
                        JOIN event_participations b ON b.event_id = a.event_id AND b.organization_id <> a.organization_id
                        WHERE a.event_id IN (SELECT id FROM listed)
                          AND (EXISTS (SELECT 1 FROM new_rows n WHERE n.event_id = a.event_id AND n.organization_id = a.organization_id)
                               OR EXISTS (SELECT 1 FROM new_rows n WHERE n.event_id = b.event_id AND n.organization_id = b.organization_id))
                        GROUP BY 1, 2
                        ORDER BY 1, 2
                        ON CONFLICT (organization_id, partner_id) DO UPDATE SET shared_events = t.shared_events + excluded.shared_events;
                        RETURN NULL;
                    END IF;

                    IF TG_OP = 'DELETE' THEN
                        PERFORM 1 FROM events WHERE id IN (SELECT event_id FROM old_rows) ORDER BY id FOR NO KEY UPDATE;

                        -- An event deleted with its participations (the cascade) is gone here, and so counts nothing: its own delete
                        -- trigger took its participants off first.
                        WITH listed AS (
                            SELECT e.id, EXTRACT(YEAR FROM e.start_date)::integer AS year, e.kind
                            FROM events e
                            WHERE e.id IN (SELECT event_id FROM old_rows) AND e.visibility = 'Public' AND e.status <> 'Pending' AND e.recurrence IS NULL
                        ), gone AS (
                            SELECT o.event_id, o.organization_id, l.year, l.kind FROM old_rows o JOIN listed l ON l.id = o.event_id
                        ), counted AS (
                            INSERT INTO organization_event_counts AS t (organization_id, year, kind, events)
                            SELECT organization_id, year, kind, -count(*)::integer
                            FROM gone
                            GROUP BY 1, 2, 3
                            ORDER BY 1, 2, 3
                            ON CONFLICT (organization_id, year, kind) DO UPDATE SET events = t.events + excluded.events
                        )
                        INSERT INTO organization_partners AS t (organization_id, partner_id, shared_events)
                        SELECT a, b, -count(*)::integer
                        FROM (SELECT g.organization_id AS a, p.organization_id AS b FROM gone g JOIN event_participations p ON p.event_id = g.event_id
                              UNION ALL
                              SELECT p.organization_id, g.organization_id FROM gone g JOIN event_participations p ON p.event_id = g.event_id
                              UNION ALL
                              SELECT g1.organization_id, g2.organization_id FROM gone g1 JOIN gone g2 ON g2.event_id = g1.event_id AND g2.organization_id <> g1.organization_id) pairs
                        GROUP BY 1, 2
                        ORDER BY 1, 2
                        ON CONFLICT (organization_id, partner_id) DO UPDATE SET shared_events = t.shared_events + excluded.shared_events;
                        RETURN NULL;
                    END IF;

                    -- UPDATE: only rows that moved to another event or organization change a count; a new role, or sort_at and
                    -- has_resolutions following their event, change none and end here.
                    SELECT array_agg(event_id), array_agg(organization_id) INTO removed_event, removed_org
                    FROM (SELECT event_id, organization_id FROM old_rows EXCEPT ALL SELECT event_id, organization_id FROM new_rows) moved;
                    SELECT array_agg(event_id), array_agg(organization_id) INTO added_event, added_org
                    FROM (SELECT event_id, organization_id FROM new_rows EXCEPT ALL SELECT event_id, organization_id FROM old_rows) moved;
                    IF removed_event IS NULL AND added_event IS NULL THEN
                        RETURN NULL;
                    END IF;

                    PERFORM 1 FROM events
                    WHERE id = ANY (coalesce(removed_event, '{}') || coalesce(added_event, '{}'))
                    ORDER BY id
                    FOR NO KEY UPDATE;

                    -- The participants of each affected listed event before the statement and now; changed marks the rows the
                    -- statement removed (before) or added (now). Pairs between unchanged rows are in both and are not read.
                    WITH removed AS (
                        SELECT * FROM unnest(coalesce(removed_event, '{}'), coalesce(removed_org, '{}')) AS r (event_id, organization_id)
                    ), added AS (
                        SELECT * FROM unnest(coalesce(added_event, '{}'), coalesce(added_org, '{}')) AS a (event_id, organization_id)
                    ), listed AS (
                        SELECT e.id, EXTRACT(YEAR FROM e.start_date)::integer AS year, e.kind
                        FROM events e
                        WHERE e.id IN (SELECT event_id FROM removed UNION SELECT event_id FROM added)
                          AND e.visibility = 'Public' AND e.status <> 'Pending' AND e.recurrence IS NULL
                    ), now_members AS (
                        SELECT p.event_id, p.organization_id, a.event_id IS NOT NULL AS changed
                        FROM event_participations p
                        JOIN listed l ON l.id = p.event_id
                        LEFT JOIN added a ON a.event_id = p.event_id AND a.organization_id = p.organization_id
                    ), before_members AS (
                        SELECT event_id, organization_id, FALSE AS changed FROM now_members WHERE NOT changed
                        UNION ALL
                        SELECT r.event_id, r.organization_id, TRUE FROM removed r JOIN listed l ON l.id = r.event_id
                    ), count_delta AS (
                        SELECT c.organization_id, l.year, l.kind, sum(c.n)::integer AS n
                        FROM (SELECT event_id, organization_id, 1 AS n FROM now_members WHERE changed
                              UNION ALL
                              SELECT event_id, organization_id, -1 FROM before_members WHERE changed) c
                        JOIN listed l ON l.id = c.event_id
                        GROUP BY 1, 2, 3
                        HAVING sum(c.n) <> 0
                    ), pair_delta AS (
                        SELECT organization_id, partner_id, sum(n)::integer AS n
                        FROM (SELECT a.organization_id, b.organization_id AS partner_id, 1 AS n
                              FROM now_members a JOIN now_members b ON b.event_id = a.event_id AND b.organization_id <> a.organization_id
                              WHERE a.changed OR b.changed
                              UNION ALL
                              SELECT a.organization_id, b.organization_id, -1
                              FROM before_members a JOIN before_members b ON b.event_id = a.event_id AND b.organization_id <> a.organization_id
                              WHERE a.changed OR b.changed) p
                        GROUP BY 1, 2
                        HAVING sum(n) <> 0
                    ), counted AS (
                        INSERT INTO organization_event_counts AS t (organization_id, year, kind, events)
                        SELECT organization_id, year, kind, n FROM count_delta ORDER BY 1, 2, 3
                        ON CONFLICT (organization_id, year, kind) DO UPDATE SET events = t.events + excluded.events
                    )
                    INSERT INTO organization_partners AS t (organization_id, partner_id, shared_events)
                    SELECT organization_id, partner_id, n FROM pair_delta ORDER BY 1, 2
                    ON CONFLICT (organization_id, partner_id) DO UPDATE SET shared_events = t.shared_events + excluded.shared_events;

                    RETURN NULL;
                END $$;

                CREATE OR REPLACE FUNCTION organizer_summary_event_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    was_listed boolean := OLD.visibility = 'Public' AND OLD.status <> 'Pending' AND OLD.recurrence IS NULL;
                    old_year integer := EXTRACT(YEAR FROM OLD.start_date);
                    is_listed boolean := FALSE;
                    new_year integer;
                    new_kind character varying;
                BEGIN
                    IF TG_OP = 'UPDATE' THEN
                        is_listed := NEW.visibility = 'Public' AND NEW.status <> 'Pending' AND NEW.recurrence IS NULL;
                        new_year := EXTRACT(YEAR FROM NEW.start_date);
                        new_kind := NEW.kind;
                    END IF;

                    WITH members AS (
                        SELECT organization_id FROM event_participations WHERE event_id = OLD.id
                    ), count_delta AS (
                        SELECT organization_id, year, kind, sum(n)::integer AS n
                        FROM (SELECT organization_id, old_year AS year, OLD.kind AS kind, -1 AS n FROM members WHERE was_listed
                              UNION ALL
                              SELECT organization_id, new_year, new_kind, 1 FROM members WHERE is_listed) c
                        GROUP BY 1, 2, 3
                        HAVING sum(n) <> 0
                    ), counted AS (
                        INSERT INTO organization_event_counts AS t (organization_id, year, kind, events)
                        SELECT organization_id, year, kind, n FROM count_delta ORDER BY 1, 2, 3
                        ON CONFLICT (organization_id, year, kind) DO UPDATE SET events = t.events + excluded.events
                    )
                    INSERT INTO organization_partners AS t (organization_id, partner_id, shared_events)
                    SELECT a.organization_id, b.organization_id, CASE WHEN is_listed THEN 1 ELSE -1 END
                    FROM members a JOIN members b ON b.organization_id <> a.organization_id
                    WHERE was_listed <> is_listed
                    ORDER BY 1, 2
                    ON CONFLICT (organization_id, partner_id) DO UPDATE SET shared_events = t.shared_events + excluded.shared_events;

                    IF TG_OP = 'DELETE' THEN
                        RETURN OLD;
                    END IF;
                    RETURN NULL;
                END $$;
                -- CREATE OR REPLACE drops the functions' settings: planned once per connection, as before.
                ALTER FUNCTION organizer_summary_participations() SET plan_cache_mode = force_generic_plan;
                ALTER FUNCTION organizer_summary_event_changed() SET plan_cache_mode = force_generic_plan;

                DROP TRIGGER events_summary_update ON events;
                DROP TRIGGER events_summary_delete ON events;
                CREATE TRIGGER events_summary_update AFTER UPDATE OF visibility, status, start_date, kind, recurrence ON events
                    FOR EACH ROW
                    WHEN ((OLD.visibility = 'Public' AND OLD.status <> 'Pending' AND OLD.recurrence IS NULL)
                              IS DISTINCT FROM (NEW.visibility = 'Public' AND NEW.status <> 'Pending' AND NEW.recurrence IS NULL)
                          OR (NEW.visibility = 'Public' AND NEW.status <> 'Pending' AND NEW.recurrence IS NULL
                              AND (date_part('year', OLD.start_date) IS DISTINCT FROM date_part('year', NEW.start_date) OR OLD.kind IS DISTINCT FROM NEW.kind)))
                    EXECUTE FUNCTION organizer_summary_event_changed();
                CREATE TRIGGER events_summary_delete BEFORE DELETE ON events
                    FOR EACH ROW WHEN (OLD.visibility = 'Public' AND OLD.status <> 'Pending' AND OLD.recurrence IS NULL)
                    EXECUTE FUNCTION organizer_summary_event_changed();

                DO $$ BEGIN
                    IF EXISTS (SELECT 1 FROM events WHERE recurrence IS NOT NULL) THEN
                        PERFORM organizer_rebuild_summaries();
                    END IF;
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION organizer_recount_event_counts() RETURNS TABLE (organization_id uuid, year integer, kind character varying, events integer)
                LANGUAGE sql STABLE AS $$
                    SELECT p.organization_id, EXTRACT(YEAR FROM e.start_date)::integer, e.kind, count(DISTINCT e.id)::integer
                    FROM event_participations p
                    JOIN events e ON e.id = p.event_id
                    WHERE e.visibility = 'Public' AND e.status <> 'Pending'
                    GROUP BY 1, 2, 3
                $$;

                CREATE OR REPLACE FUNCTION organizer_recount_partners() RETURNS TABLE (organization_id uuid, partner_id uuid, shared_events integer)
                LANGUAGE sql STABLE AS $$
                    SELECT mine.organization_id, other.organization_id, count(DISTINCT e.id)::integer
                    FROM event_participations mine
                    JOIN events e ON e.id = mine.event_id
                    JOIN event_participations other ON other.event_id = mine.event_id AND other.organization_id <> mine.organization_id
                    WHERE e.visibility = 'Public' AND e.status <> 'Pending'
                    GROUP BY 1, 2
                $$;

                CREATE OR REPLACE FUNCTION organizer_summary_participations() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    removed_event uuid[];
                    removed_org uuid[];
                    added_event uuid[];
                    added_org uuid[];
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        PERFORM 1 FROM events WHERE id IN (SELECT event_id FROM new_rows) ORDER BY id FOR NO KEY UPDATE;

                        WITH listed AS (
                            SELECT e.id, EXTRACT(YEAR FROM e.start_date)::integer AS year, e.kind
                            FROM events e
                            WHERE e.id IN (SELECT event_id FROM new_rows) AND e.visibility = 'Public' AND e.status <> 'Pending'
                        ), counted AS (
                            INSERT INTO organization_event_counts AS t (organization_id, year, kind, events)
                            SELECT n.organization_id, l.year, l.kind, count(*)::integer
                            FROM new_rows n JOIN listed l ON l.id = n.event_id
                            GROUP BY 1, 2, 3
                            ORDER BY 1, 2, 3
                            ON CONFLICT (organization_id, year, kind) DO UPDATE SET events = t.events + excluded.events
                        )
                        INSERT INTO organization_partners AS t (organization_id, partner_id, shared_events)
                        SELECT a.organization_id, b.organization_id, count(*)::integer
                        FROM event_participations a
                        JOIN event_participations b ON b.event_id = a.event_id AND b.organization_id <> a.organization_id
                        WHERE a.event_id IN (SELECT id FROM listed)
                          AND (EXISTS (SELECT 1 FROM new_rows n WHERE n.event_id = a.event_id AND n.organization_id = a.organization_id)
                               OR EXISTS (SELECT 1 FROM new_rows n WHERE n.event_id = b.event_id AND n.organization_id = b.organization_id))
                        GROUP BY 1, 2
                        ORDER BY 1, 2
                        ON CONFLICT (organization_id, partner_id) DO UPDATE SET shared_events = t.shared_events + excluded.shared_events;
                        RETURN NULL;
                    END IF;

                    IF TG_OP = 'DELETE' THEN
                        PERFORM 1 FROM events WHERE id IN (SELECT event_id FROM old_rows) ORDER BY id FOR NO KEY UPDATE;

                        -- An event deleted with its participations (the cascade) is gone here, and so counts nothing: its own delete
                        -- trigger took its participants off first.
                        WITH listed AS (
                            SELECT e.id, EXTRACT(YEAR FROM e.start_date)::integer AS year, e.kind
                            FROM events e
                            WHERE e.id IN (SELECT event_id FROM old_rows) AND e.visibility = 'Public' AND e.status <> 'Pending'
                        ), gone AS (
                            SELECT o.event_id, o.organization_id, l.year, l.kind FROM old_rows o JOIN listed l ON l.id = o.event_id
                        ), counted AS (
                            INSERT INTO organization_event_counts AS t (organization_id, year, kind, events)
                            SELECT organization_id, year, kind, -count(*)::integer
                            FROM gone
                            GROUP BY 1, 2, 3
                            ORDER BY 1, 2, 3
                            ON CONFLICT (organization_id, year, kind) DO UPDATE SET events = t.events + excluded.events
                        )
                        INSERT INTO organization_partners AS t (organization_id, partner_id, shared_events)
                        SELECT a, b, -count(*)::integer
                        FROM (SELECT g.organization_id AS a, p.organization_id AS b FROM gone g JOIN event_participations p ON p.event_id = g.event_id
                              UNION ALL
                              SELECT p.organization_id, g.organization_id FROM gone g JOIN event_participations p ON p.event_id = g.event_id
                              UNION ALL
                              SELECT g1.organization_id, g2.organization_id FROM gone g1 JOIN gone g2 ON g2.event_id = g1.event_id AND g2.organization_id <> g1.organization_id) pairs
                        GROUP BY 1, 2
                        ORDER BY 1, 2
                        ON CONFLICT (organization_id, partner_id) DO UPDATE SET shared_events = t.shared_events + excluded.shared_events;
                        RETURN NULL;
                    END IF;

                    -- UPDATE: only rows that moved to another event or organization change a count; a new role, or sort_at and
                    -- has_resolutions following their event, change none and end here.
                    SELECT array_agg(event_id), array_agg(organization_id) INTO removed_event, removed_org
                    FROM (SELECT event_id, organization_id FROM old_rows EXCEPT ALL SELECT event_id, organization_id FROM new_rows) moved;
                    SELECT array_agg(event_id), array_agg(organization_id) INTO added_event, added_org
                    FROM (SELECT event_id, organization_id FROM new_rows EXCEPT ALL SELECT event_id, organization_id FROM old_rows) moved;
                    IF removed_event IS NULL AND added_event IS NULL THEN
                        RETURN NULL;
                    END IF;

                    PERFORM 1 FROM events
                    WHERE id = ANY (coalesce(removed_event, '{}') || coalesce(added_event, '{}'))
                    ORDER BY id
                    FOR NO KEY UPDATE;

                    -- The participants of each affected listed event before the statement and now; changed marks the rows the
                    -- statement removed (before) or added (now). Pairs between unchanged rows are in both and are not read.
                    WITH removed AS (
                        SELECT * FROM unnest(coalesce(removed_event, '{}'), coalesce(removed_org, '{}')) AS r (event_id, organization_id)
                    ), added AS (
                        SELECT * FROM unnest(coalesce(added_event, '{}'), coalesce(added_org, '{}')) AS a (event_id, organization_id)
                    ), listed AS (
                        SELECT e.id, EXTRACT(YEAR FROM e.start_date)::integer AS year, e.kind
                        FROM events e
                        WHERE e.id IN (SELECT event_id FROM removed UNION SELECT event_id FROM added)
                          AND e.visibility = 'Public' AND e.status <> 'Pending'
                    ), now_members AS (
                        SELECT p.event_id, p.organization_id, a.event_id IS NOT NULL AS changed
                        FROM event_participations p
                        JOIN listed l ON l.id = p.event_id
                        LEFT JOIN added a ON a.event_id = p.event_id AND a.organization_id = p.organization_id
                    ), before_members AS (
                        SELECT event_id, organization_id, FALSE AS changed FROM now_members WHERE NOT changed
                        UNION ALL
                        SELECT r.event_id, r.organization_id, TRUE FROM removed r JOIN listed l ON l.id = r.event_id
                    ), count_delta AS (
                        SELECT c.organization_id, l.year, l.kind, sum(c.n)::integer AS n
                        FROM (SELECT event_id, organization_id, 1 AS n FROM now_members WHERE changed
                              UNION ALL
                              SELECT event_id, organization_id, -1 FROM before_members WHERE changed) c
                        JOIN listed l ON l.id = c.event_id
                        GROUP BY 1, 2, 3
                        HAVING sum(c.n) <> 0
                    ), pair_delta AS (
                        SELECT organization_id, partner_id, sum(n)::integer AS n
                        FROM (SELECT a.organization_id, b.organization_id AS partner_id, 1 AS n
                              FROM now_members a JOIN now_members b ON b.event_id = a.event_id AND b.organization_id <> a.organization_id
                              WHERE a.changed OR b.changed
                              UNION ALL
                              SELECT a.organization_id, b.organization_id, -1
                              FROM before_members a JOIN before_members b ON b.event_id = a.event_id AND b.organization_id <> a.organization_id
                              WHERE a.changed OR b.changed) p
                        GROUP BY 1, 2
                        HAVING sum(n) <> 0
                    ), counted AS (
                        INSERT INTO organization_event_counts AS t (organization_id, year, kind, events)
                        SELECT organization_id, year, kind, n FROM count_delta ORDER BY 1, 2, 3
                        ON CONFLICT (organization_id, year, kind) DO UPDATE SET events = t.events + excluded.events
                    )
                    INSERT INTO organization_partners AS t (organization_id, partner_id, shared_events)
                    SELECT organization_id, partner_id, n FROM pair_delta ORDER BY 1, 2
                    ON CONFLICT (organization_id, partner_id) DO UPDATE SET shared_events = t.shared_events + excluded.shared_events;

                    RETURN NULL;
                END $$;

                CREATE OR REPLACE FUNCTION organizer_summary_event_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    was_listed boolean := OLD.visibility = 'Public' AND OLD.status <> 'Pending';
                    old_year integer := EXTRACT(YEAR FROM OLD.start_date);
                    is_listed boolean := FALSE;
                    new_year integer;
                    new_kind character varying;
                BEGIN
                    IF TG_OP = 'UPDATE' THEN
                        is_listed := NEW.visibility = 'Public' AND NEW.status <> 'Pending';
                        new_year := EXTRACT(YEAR FROM NEW.start_date);
                        new_kind := NEW.kind;
                    END IF;

                    WITH members AS (
                        SELECT organization_id FROM event_participations WHERE event_id = OLD.id
                    ), count_delta AS (
                        SELECT organization_id, year, kind, sum(n)::integer AS n
                        FROM (SELECT organization_id, old_year AS year, OLD.kind AS kind, -1 AS n FROM members WHERE was_listed
                              UNION ALL
                              SELECT organization_id, new_year, new_kind, 1 FROM members WHERE is_listed) c
                        GROUP BY 1, 2, 3
                        HAVING sum(n) <> 0
                    ), counted AS (
                        INSERT INTO organization_event_counts AS t (organization_id, year, kind, events)
                        SELECT organization_id, year, kind, n FROM count_delta ORDER BY 1, 2, 3
                        ON CONFLICT (organization_id, year, kind) DO UPDATE SET events = t.events + excluded.events
                    )
                    INSERT INTO organization_partners AS t (organization_id, partner_id, shared_events)
                    SELECT a.organization_id, b.organization_id, CASE WHEN is_listed THEN 1 ELSE -1 END
                    FROM members a JOIN members b ON b.organization_id <> a.organization_id
                    WHERE was_listed <> is_listed
                    ORDER BY 1, 2
                    ON CONFLICT (organization_id, partner_id) DO UPDATE SET shared_events = t.shared_events + excluded.shared_events;

                    IF TG_OP = 'DELETE' THEN
                        RETURN OLD;
                    END IF;
                    RETURN NULL;
                END $$;
                -- CREATE OR REPLACE drops the functions' settings: planned once per connection, as before.
                ALTER FUNCTION organizer_summary_participations() SET plan_cache_mode = force_generic_plan;
                ALTER FUNCTION organizer_summary_event_changed() SET plan_cache_mode = force_generic_plan;

                DROP TRIGGER events_summary_update ON events;
                DROP TRIGGER events_summary_delete ON events;
                CREATE TRIGGER events_summary_update AFTER UPDATE OF visibility, status, start_date, kind ON events
                    FOR EACH ROW
                    WHEN ((OLD.visibility = 'Public' AND OLD.status <> 'Pending') IS DISTINCT FROM (NEW.visibility = 'Public' AND NEW.status <> 'Pending')
                          OR (NEW.visibility = 'Public' AND NEW.status <> 'Pending'
                              AND (date_part('year', OLD.start_date) IS DISTINCT FROM date_part('year', NEW.start_date) OR OLD.kind IS DISTINCT FROM NEW.kind)))
                    EXECUTE FUNCTION organizer_summary_event_changed();
                CREATE TRIGGER events_summary_delete BEFORE DELETE ON events
                    FOR EACH ROW WHEN (OLD.visibility = 'Public' AND OLD.status <> 'Pending')
                    EXECUTE FUNCTION organizer_summary_event_changed();

                DROP INDEX ix_event_participations_series;
                DROP TRIGGER events_series_changed ON events;
                DROP FUNCTION organizer_event_series_changed();
                CREATE OR REPLACE FUNCTION organizer_participation_sort_at() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    SELECT e.sort_at INTO NEW.sort_at FROM events e WHERE e.id = NEW.event_id FOR NO KEY UPDATE;
                    RETURN NEW;
                END $$;

                DO $$ BEGIN
                    IF EXISTS (SELECT 1 FROM events WHERE recurrence IS NOT NULL) THEN
                        PERFORM organizer_rebuild_summaries();
                    END IF;
                END $$;
                """);

            migrationBuilder.DropColumn(
                name: "is_series",
                table: "event_participations");
        }
    }
}
