using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Organizer.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class RemoveSecretsFromIdempotencyRecords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Until now an Idempotency-Key kept the whole answer of a token issue or a feed-secret rotation, secret
            // included (docs/decisions/006). New answers never hold one; this deletes the ones already kept, so an
            // upgrade doesn't leave live secrets in the table until they expire. Such an answer is then not replayed,
            // which is what the new code does too. The match is broad on purpose: losing the replay of an event
            // whose text happens to contain these strings costs less than keeping one secret.
            migrationBuilder.Sql("""
                DELETE FROM idempotency_records
                WHERE position(convert_to('"token":"', 'UTF8') IN body) > 0
                   OR position(convert_to('/feeds/private/', 'UTF8') IN body) > 0;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Deleted secrets can't come back, and nothing needs them to.
        }
    }
}
