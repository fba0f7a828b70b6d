using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Organizer.Migrations.Migrations
{
    /// <summary>
    /// The events going on at a date (begun before it, ending on or after it), for lists from a date: a GiST index on
    /// the span of each event that lasts more than a day. The list's query (EventListQueries.FirstReachingAsync)
    /// names the same expression and predicate. It carries the columns the query reads (PostgreSQL reads an
    /// expression index alone only when it holds the expression's columns too), so no event row is visited.
    /// </summary>
    public partial class EventSpanIndex : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE INDEX ix_events_span ON events USING gist (daterange(start_date, end_date, '[]')) INCLUDE (id, start_date, end_date) WHERE end_date > start_date;
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX ix_events_span;");
        }
    }
}
