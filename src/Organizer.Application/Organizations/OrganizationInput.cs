using FluentValidation;
using Organizer.Application.Common;
using Organizer.Application.Common.Validation;
using Organizer.Domain.Organizations;

namespace Organizer.Application.Organizations;

/// <summary>The body of POST /api/organizations, and what PATCH merges into.</summary>
public sealed record OrganizationInput
{
    /// <summary>Defaults to one made from the name.</summary>
    public string? Slug { get; init; }

    public string? Name { get; init; }
    public List<AliasInput>? Aliases { get; init; }
    public string? Kind { get; init; }
    public string? HomeCity { get; init; }
    public string? HomeCountryCode { get; init; }
    public string? Website { get; init; }
    public string? Description { get; init; }
}

public sealed record AliasInput(string? Name, string? Slug);

public sealed class OrganizationInputValidator : AbstractValidator<OrganizationInput>
{
    public OrganizationInputValidator()
    {
        RuleFor(o => o.Name).NotEmpty().MaximumLength(300).IsSafeText();
        RuleFor(o => o.Slug).Must(Slugs.IsWellFormed).When(o => o.Slug is not null)
            .WithMessage("'slug' is lower-case letters, digits and dashes.");
        RuleFor(o => o.Kind).Must(k => KebabEnum.TryParse<OrganizationKind>(k, out _)).When(o => o.Kind is not null)
            .WithMessage($"'kind' must be one of: {KebabEnum.Allowed<OrganizationKind>()}.");
        RuleFor(o => o.HomeCity).MaximumLength(200).IsSafeText();
        RuleFor(o => o.HomeCountryCode).Matches("^[A-Za-z]{2}$").When(o => o.HomeCountryCode is not null)
            .WithMessage("'homeCountryCode' must be an ISO 3166-1 alpha-2 code such as CA.");
        RuleFor(o => o.Website).Must(Text.IsHttpUrl).When(o => o.Website is not null).WithMessage("'website' must be an http or https URL.").IsSafeText();
        RuleFor(o => o.Description).MaximumLength(20_000).IsSafeMultilineText();
        RuleFor(o => o.Aliases).Must(a => a!.Count <= 20).When(o => o.Aliases is not null);
        RuleForEach(o => o.Aliases).IsNotNullElement();
        RuleForEach(o => o.Aliases).ChildRules(a =>
        {
            a.RuleFor(x => x.Name).NotEmpty().MaximumLength(300).IsSafeText();
            a.RuleFor(x => x.Slug).Must(Slugs.IsWellFormed).When(x => x.Slug is not null);
        });
    }
}
