using FluentValidation;
using Mediator;
using Organizer.Application.Common.Links;
using Organizer.Application.Common.Security;

namespace Organizer.Application.Organizations;

/// <summary>Creates an organization. Admin only.</summary>
public sealed record CreateOrganizationCommand(OrganizationInput Input, Actor Actor) : ICommand<OrganizationDetailDto>;

public sealed class CreateOrganizationCommandValidator : AbstractValidator<CreateOrganizationCommand>
{
    public CreateOrganizationCommandValidator() => RuleFor(c => c.Input).SetValidator(new OrganizationInputValidator());
}

public sealed class CreateOrganizationCommandHandler(IOrganizerDbContext db, TimeProvider clock, ILinks links)
    : ICommandHandler<CreateOrganizationCommand, OrganizationDetailDto>
{
    public async ValueTask<OrganizationDetailDto> Handle(CreateOrganizationCommand command, CancellationToken cancellationToken)
    {
        var slug = await new OrganizationWriter(db, clock).SaveAsync(null, command.Input, command.Actor, cancellationToken);
        return await new OrganizationDetails(db, links).ReadAsync(slug, cancellationToken);
    }
}
