using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Organizer.Domain.Places;

namespace Organizer.Infrastructure.Persistence.Configurations;

public sealed class PlaceConfiguration : IEntityTypeConfiguration<Place>
{
    public void Configure(EntityTypeBuilder<Place> builder)
    {
        builder.HasIndex(p => p.Slug).IsUnique();
        builder.HasIndex(p => p.City);
        builder.Property(p => p.Slug).HasMaxLength(200);
        builder.Property(p => p.Name).HasMaxLength(300);
        builder.Property(p => p.CountryCode).HasMaxLength(2).IsFixedLength();
        builder.Property(p => p.TimeZone).HasMaxLength(64);
        builder.HasOne<Domain.Organizations.Organization>().WithMany().HasForeignKey(p => p.RecordedById).OnDelete(DeleteBehavior.SetNull);
        builder.HasCitations(p => p.Citations);
        builder.HasVersion();
    }
}
