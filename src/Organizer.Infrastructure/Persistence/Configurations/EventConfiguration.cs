using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Organizer.Domain.Common;
using Organizer.Domain.Events;

namespace Organizer.Infrastructure.Persistence.Configurations;

public sealed class EventConfiguration : IEntityTypeConfiguration<Event>
{
    public void Configure(EntityTypeBuilder<Event> builder)
    {
        builder.HasIndex(e => e.Slug).IsUnique();
        builder.Property(e => e.Slug).HasMaxLength(200);
        builder.Property(e => e.Title).HasMaxLength(200);
        builder.Property(e => e.Kind).HasConversion(StoredEnum.Converter<EventKind>()).HasMaxLength(40);
        builder.Property(e => e.Status).HasConversion(StoredEnum.Converter<EventStatus>()).HasMaxLength(20);
        builder.Property(e => e.Visibility).HasConversion(StoredEnum.Converter<Visibility>()).HasMaxLength(20);

        builder.ComplexProperty(e => e.Schedule, s =>
        {
            s.Property(x => x.AllDay).HasColumnName("all_day");
            s.Property(x => x.StartsAt).HasColumnName("starts_at");
            s.Property(x => x.EndsAt).HasColumnName("ends_at");
            s.Property(x => x.StartDate).HasColumnName("start_date");
            s.Property(x => x.EndDate).HasColumnName("end_date");
            s.Property(x => x.TimeZone).HasColumnName("time_zone").HasMaxLength(64);
            s.Property(x => x.Precision).HasColumnName("date_precision").HasConversion(StoredEnum.Converter<DatePrecision>()).HasMaxLength(10);
            s.Property(x => x.SortAt).HasColumnName("sort_at");
        });

        builder.ComplexProperty(e => e.Attendance, a =>
        {
            a.Property(x => x.Estimate).HasColumnName("attendance_estimate");
            a.Property(x => x.Reported).HasColumnName("attendance_reported").HasMaxLength(200);
        });

        builder.HasOne(e => e.Parent).WithMany(e => e.Sessions).HasForeignKey(e => e.ParentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(e => e.Place).WithMany().HasForeignKey(e => e.PlaceId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(e => e.Participations).WithOne().HasForeignKey(p => p.EventId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(e => e.Speakers).WithOne().HasForeignKey(s => s.EventId).OnDelete(DeleteBehavior.Cascade);
        builder.HasCitations(e => e.Citations);
        builder.HasSearchVector($"{SearchVectorMapping.Weighted("A", "title")} || {SearchVectorMapping.Weighted("B", "description")}");
        builder.HasVersion();

        // Stored as its RRULE text (UNTIL as a date): read back through the same parser that checks a posted rule.
        builder.Property(e => e.Recurrence).HasColumnName("recurrence").HasMaxLength(300).HasConversion(
            r => r == null ? null : r.ToString(),
            text => text == null ? null : Recurrence.Parse(text, NodaTime.LocalTime.Midnight, NodaTime.DateTimeZone.Utc));
        builder.Property(e => e.SeriesEndDate).HasColumnName("series_end_date");
        builder.Property(e => e.ExceptDates).HasColumnName("except_dates");

        builder.HasMany(e => e.Overrides).WithOne().HasForeignKey(o => o.EventId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class OccurrenceOverrideConfiguration : IEntityTypeConfiguration<OccurrenceOverride>
{
    public void Configure(EntityTypeBuilder<OccurrenceOverride> builder)
    {
        builder.ToTable("occurrence_overrides");
        builder.HasKey(o => new { o.EventId, o.Occurrence });
        builder.Property(o => o.Title).HasMaxLength(200);
        builder.Property(o => o.Status).HasConversion(StoredEnum.Converter<EventStatus>()).HasMaxLength(20);
        builder.Property(o => o.StatusReason).HasMaxLength(2000);
        builder.Property(o => o.Start).HasColumnType("timestamp without time zone");
        builder.Property(o => o.End).HasColumnType("timestamp without time zone");
        builder.HasOne(o => o.Place).WithMany().HasForeignKey(o => o.PlaceId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class EventParticipationConfiguration : IEntityTypeConfiguration<EventParticipation>
{
    public const string SortAt = "SortAt";

    public const string HasResolutions = "HasResolutions";

    public const string IsSeries = "IsSeries";

    public void Configure(EntityTypeBuilder<EventParticipation> builder)
    {
        builder.HasKey(p => new { p.EventId, p.OrganizationId });
        builder.HasIndex(p => p.OrganizationId);

        // A copy of the event's sort instant, kept by database triggers (see the SearchAndTimeline migration), so
        // that an organization's timeline is one ordered index scan instead of a sort of all its events.
        builder.Property<DateTimeOffset>(SortAt).ValueGeneratedOnAddOrUpdate();

        // Whether the event has resolutions, kept by triggers (see the TimelineResolutionsIndex migration): a partial
        // index over these rows gives the timeline's resolutions in order without probing every event of the organization.
        builder.Property<bool>(HasResolutions).ValueGeneratedOnAddOrUpdate();

        // Whether the event is a series, kept by triggers (see the SeriesInTheRecord migration): a partial index over
        // these rows gives an organization's series in one probe, for the timeline and summary to expand.
        builder.Property<bool>(IsSeries).ValueGeneratedOnAddOrUpdate();
        builder.Property(p => p.Role).HasConversion(StoredEnum.Converter<ParticipationRole>()).HasMaxLength(20);
        builder.HasOne(p => p.Organization).WithMany().HasForeignKey(p => p.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class EventSpeakerConfiguration : IEntityTypeConfiguration<EventSpeaker>
{
    public void Configure(EntityTypeBuilder<EventSpeaker> builder)
    {
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.HasOne(s => s.Organization).WithMany().HasForeignKey(s => s.OrganizationId).OnDelete(DeleteBehavior.SetNull);
        builder.HasVersion();
    }
}

public sealed class ResolutionConfiguration : IEntityTypeConfiguration<Resolution>
{
    public void Configure(EntityTypeBuilder<Resolution> builder)
    {
        builder.HasIndex(r => new { r.EventId, r.Ordinal }).IsUnique();
        builder.Property(r => r.Outcome).HasConversion(StoredEnum.Converter<ResolutionOutcome>()).HasMaxLength(20);
        builder.HasOne(r => r.Event).WithMany().HasForeignKey(r => r.EventId).OnDelete(DeleteBehavior.Cascade);
        builder.HasCitations(r => r.Citations);
        builder.HasSearchVector($"{SearchVectorMapping.Weighted("A", "title")} || {SearchVectorMapping.Weighted("B", "text")}");
        builder.HasVersion();
    }
}
