using Microsoft.EntityFrameworkCore;
using Organizer.Application.Cities;
using Organizer.Infrastructure.Persistence;

namespace Organizer.Infrastructure.ReadModels;

internal sealed class CityQueries(OrganizerDbContext db) : ICityQueries
{
    /// <summary>A skip scan of ix_places_city: each step asks the index for the next city after the last one.</summary>
    public async Task<IReadOnlyList<string>> NamesAsync(CancellationToken cancellationToken) =>
        await db.Database.SqlQueryRaw<string>(
                """
                WITH RECURSIVE cities AS (
                    (SELECT city FROM places WHERE city IS NOT NULL ORDER BY city LIMIT 1)
                    UNION ALL
                    SELECT (SELECT p.city FROM places p WHERE p.city > c.city ORDER BY p.city LIMIT 1) FROM cities c WHERE c.city IS NOT NULL
                )
                SELECT city AS "Value" FROM cities WHERE city IS NOT NULL
                """)
            .ToListAsync(cancellationToken);
}
