using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Organizer.Domain.Organizations;

namespace Organizer.Infrastructure.Persistence.Configurations;

public sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> builder)
    {
        builder.HasIndex(o => o.Slug).IsUnique();
        builder.Property(o => o.Slug).HasMaxLength(200);
        builder.Property(o => o.Name).HasMaxLength(300);
        builder.Property(o => o.Kind).HasConversion(StoredEnum.Converter<OrganizationKind>()).HasMaxLength(40);
        builder.Property(o => o.HomeCountryCode).HasMaxLength(2).IsFixedLength();
        builder.HasMany(o => o.Aliases).WithOne().HasForeignKey(a => a.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasCitations(o => o.Citations);
        builder.HasIndex(o => o.FeedSecretHash).IsUnique();
        builder.HasSearchVector($"{SearchVectorMapping.Weighted("A", "name")} || {SearchVectorMapping.Weighted("B", "description")}");
        builder.HasVersion();
    }
}

public sealed class OrganizationAliasConfiguration : IEntityTypeConfiguration<OrganizationAlias>
{
    public void Configure(EntityTypeBuilder<OrganizationAlias> builder)
    {
        // Alias slugs share one namespace with organization slugs; the seeder and the write API check both.
        builder.HasIndex(a => a.Slug).IsUnique();
        builder.Property(a => a.Slug).HasMaxLength(200);
        builder.Property(a => a.Name).HasMaxLength(300);
        builder.HasVersion();
    }
}
