using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Organizer.Domain.Events;
using Organizer.Infrastructure.ReadModels;

namespace Organizer.Infrastructure.Persistence.Configurations;

// The kept summary tables have no foreign keys to organizations: a key check on every new counter row would add a
// lookup and a share lock on the organization's row to each write, and an organization cannot be deleted while
// anything counted here refers to it (participations and issuers restrict the delete). Each row is updated in place
// on every change, so pages keep room for those updates to stay on the page (fillfactor).

public sealed class OrganizationEventCountConfiguration : IEntityTypeConfiguration<OrganizationEventCount>
{
    public void Configure(EntityTypeBuilder<OrganizationEventCount> builder)
    {
        builder.ToTable("organization_event_counts");
        builder.HasKey(c => new { c.OrganizationId, c.Year, c.Kind });
        builder.Property(c => c.Kind).HasConversion(StoredEnum.Converter<EventKind>()).HasMaxLength(40);
        builder.HasStorageParameter("fillfactor", 80);
    }
}

public sealed class OrganizationStatementCountConfiguration : IEntityTypeConfiguration<OrganizationStatementCount>
{
    public void Configure(EntityTypeBuilder<OrganizationStatementCount> builder)
    {
        builder.ToTable("organization_statement_counts");
        builder.HasKey(c => new { c.OrganizationId, c.Year });
        builder.HasStorageParameter("fillfactor", 80);
    }
}

public sealed class OrganizationPartnerConfiguration : IEntityTypeConfiguration<OrganizationPartner>
{
    public void Configure(EntityTypeBuilder<OrganizationPartner> builder)
    {
        builder.ToTable("organization_partners");
        builder.HasKey(p => new { p.OrganizationId, p.PartnerId });
        builder.HasStorageParameter("fillfactor", 80);
    }
}
