using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Organizer.Domain.Common;

namespace Organizer.Infrastructure.Persistence.Configurations;

internal static class VersionMapping
{
    /// <summary>Maps the xmin system column as the concurrency token.</summary>
    public static void HasVersion<T>(this EntityTypeBuilder<T> builder) where T : Entity =>
        builder.Property(e => e.Version).IsRowVersion();
}
