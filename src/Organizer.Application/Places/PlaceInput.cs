using FluentValidation;
using Organizer.Application.Common;
using Organizer.Application.Common.Validation;

namespace Organizer.Application.Places;

/// <summary>A new place, in an event body (<c>newPlace</c>) or in POST /api/places.</summary>
public sealed record PlaceInput
{
    public string? Name { get; init; }
    public string? Address { get; init; }
    public string? City { get; init; }
    public string? Region { get; init; }
    public string? CountryCode { get; init; }
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
    public string? TimeZone { get; init; }
}

public sealed class PlaceInputValidator : AbstractValidator<PlaceInput>
{
    public PlaceInputValidator()
    {
        RuleFor(p => p.Name).NotEmpty().MaximumLength(300).IsSafeText();
        RuleFor(p => p.Address).MaximumLength(500).IsSafeText();
        RuleFor(p => p.City).NotEmpty().WithMessage("A place needs a 'city'.").MaximumLength(200).IsSafeText();
        RuleFor(p => p.Region).MaximumLength(100).IsSafeText();
        RuleFor(p => p.CountryCode).NotEmpty().Matches("^[A-Za-z]{2}$").WithMessage("A place needs a 'countryCode' (ISO 3166-1 alpha-2, such as CA).");
        RuleFor(p => p.Latitude).InclusiveBetween(-90, 90);
        RuleFor(p => p.Longitude).InclusiveBetween(-180, 180);
        RuleFor(p => p).Must(p => (p.Latitude is null) == (p.Longitude is null)).OverridePropertyName("latitude")
            .WithMessage("Give both 'latitude' and 'longitude', or neither.");
        RuleFor(p => p.TimeZone).Must(Times.IsIanaZone).When(p => p.TimeZone is not null).WithMessage(p => Times.ZoneProblem(p.TimeZone)!);
    }
}
