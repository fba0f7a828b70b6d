using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Organizer.Domain.Common;
using Organizer.Domain.Sources;
using Organizer.Domain.Statements;

namespace Organizer.Infrastructure.Persistence.Configurations;

public sealed class StatementConfiguration : IEntityTypeConfiguration<Statement>
{
    public void Configure(EntityTypeBuilder<Statement> builder)
    {
        builder.HasIndex(s => s.Slug).IsUnique();
        builder.Property(s => s.Slug).HasMaxLength(200);
        builder.Property(s => s.DatePrecision).HasConversion(StoredEnum.Converter<DatePrecision>()).HasMaxLength(10);
        builder.HasMany(s => s.Issuers).WithOne().HasForeignKey(i => i.StatementId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(s => s.ReadAtEvent).WithMany().HasForeignKey(s => s.ReadAtEventId).OnDelete(DeleteBehavior.SetNull);
        builder.HasCitations(s => s.Citations);
        builder.HasSearchVector($"{SearchVectorMapping.Weighted("A", "title")} || {SearchVectorMapping.Weighted("B", "summary")} || {SearchVectorMapping.Weighted("C", "text")}");
        builder.HasIndex(s => s.IssuedOn);
        builder.HasVersion();
    }
}

public sealed class StatementIssuerConfiguration : IEntityTypeConfiguration<StatementIssuer>
{
    public const string SortAt = "SortAt";

    public void Configure(EntityTypeBuilder<StatementIssuer> builder)
    {
        builder.ToTable("statement_issuers");
        builder.HasKey(i => new { i.StatementId, i.OrganizationId });
        builder.HasIndex(i => i.OrganizationId);

        // The statement's date as the timeline's instant (midnight UTC), kept by database triggers (see the
        // TimelineAndListIndexes migration), so that an organization's statements in the timeline are one ordered
        // index scan instead of a sort of every statement.
        builder.Property<DateTimeOffset>(SortAt).ValueGeneratedOnAddOrUpdate();
        builder.HasOne(i => i.Organization).WithMany().HasForeignKey(i => i.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class SourceDocumentConfiguration : IEntityTypeConfiguration<SourceDocument>
{
    public void Configure(EntityTypeBuilder<SourceDocument> builder)
    {
        builder.HasIndex(d => d.Document).IsUnique();
        builder.HasVersion();
    }
}
