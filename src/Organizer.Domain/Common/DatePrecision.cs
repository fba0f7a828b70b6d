namespace Organizer.Domain.Common;

/// <summary>How exactly a source dates a record. Anything coarser than <see cref="Exact"/> is an all-day record.</summary>
public enum DatePrecision
{
    Exact,
    Day,
    Week,
    Month,
    Year,
}
