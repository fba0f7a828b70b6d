using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Organizer.Domain.Events;

namespace Organizer.Infrastructure.Persistence.Configurations;

public sealed class FeedWatermarkConfiguration : IEntityTypeConfiguration<FeedWatermark>
{
    public void Configure(EntityTypeBuilder<FeedWatermark> builder)
    {
        builder.Property(w => w.Id).ValueGeneratedNever();
        builder.ToTable(t => t.HasCheckConstraint("ck_feed_watermarks_singleton", $"id = {FeedWatermark.SingletonId}"));
    }
}
