using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Organizer.Application.Access;
using Organizer.Application.Common;
using Organizer.Application.Common.Security;
using Organizer.Application.Common.Validation;
using Organizer.Domain.Statements;
using ValidationException = Organizer.Application.Common.Exceptions.ValidationException;

namespace Organizer.Application.Statements;

public sealed record StatementInput(string? Title, string? IssuedOn, string? Summary, string? Text, string? Spokesperson, string? ReadAtEvent);

/// <summary>Records a statement an organization issued.</summary>
public sealed record IssueStatementCommand(string OrganizationSlug, StatementInput Input, Actor Actor) : ICommand<StatementDto>;

public sealed class IssueStatementCommandValidator : AbstractValidator<IssueStatementCommand>
{
    public IssueStatementCommandValidator()
    {
        RuleFor(c => c.Input.Title).NotEmpty().MaximumLength(300).IsSafeText().OverridePropertyName("title");
        RuleFor(c => c.Input.IssuedOn).NotEmpty().Must(d => Times.TryDate(d, out _)).OverridePropertyName("issuedOn")
            .WithMessage("'issuedOn' must be a date in the form YYYY-MM-DD.");
        RuleFor(c => c.Input.IssuedOn).Must(d => !Times.TryDate(d, out var date) || DateBounds.Contains(date)).OverridePropertyName("issuedOn")
            .WithMessage(DateBounds.Problem("issuedOn"));
        RuleFor(c => c.Input.Summary).MaximumLength(5_000).IsSafeMultilineText().OverridePropertyName("summary");
        RuleFor(c => c.Input.Text).MaximumLength(50_000).IsSafeMultilineText().OverridePropertyName("text");
        RuleFor(c => c.Input).Must(i => !string.IsNullOrWhiteSpace(i.Summary) || !string.IsNullOrWhiteSpace(i.Text))
            .OverridePropertyName("text").WithMessage("Give the statement's 'text' or a 'summary'.");
        RuleFor(c => c.Input.Spokesperson).MaximumLength(300).IsSafeText().OverridePropertyName("spokesperson");
        RuleFor(c => c.Input.ReadAtEvent).Must(Slugs.IsWellFormed).When(c => c.Input.ReadAtEvent is not null).OverridePropertyName("readAtEvent");
    }
}

public sealed class IssueStatementCommandHandler(IOrganizerDbContext db, IChangeAuthorization access, TimeProvider clock) : ICommandHandler<IssueStatementCommand, StatementDto>
{
    public async ValueTask<StatementDto> Handle(IssueStatementCommand command, CancellationToken cancellationToken)
    {
        var organization = await OrganizationAccess.LoadForWriteAsync(db, access, command.OrganizationSlug, command.Actor, cancellationToken);
        var input = command.Input;
        Times.TryDate(input.IssuedOn, out var issuedOn);
        Guid? readAt = null;
        if (input.ReadAtEvent is not null)
        {
            var e = await db.Events.AsNoTracking().Include(x => x.Participations).FirstOrDefaultAsync(x => x.Slug == input.ReadAtEvent, cancellationToken);

            // As with sessions: an event the caller may not see answers as missing, and only its host attaches to it.
            if (e is null || !EventVisibility.MayView(e, command.Actor))
            {
                throw new ValidationException("readAtEvent", $"No event '{input.ReadAtEvent}' exists.");
            }

            await access.EnsureAllowedAsync(new Change.StatementReadAt(e), command.Actor);
            readAt = e.Id;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var statement = new Statement
        {
            Slug = "", // Picked below, once the statement has its id.
            Title = input.Title!.Trim(),
            IssuedOn = issuedOn,
            Summary = input.Summary,
            Text = input.Text,
            Spokesperson = input.Spokesperson,
            ReadAtEventId = readAt,
        };
        var baseSlug = Slugs.Truncate(Slugs.From($"{input.IssuedOn} {organization.Slug} {input.Title}"), 100);
        statement.Slug = await new SlugAllocator(db).StatementAsync(baseSlug, statement.Id, cancellationToken);
        statement.Issuers.Add(new StatementIssuer { StatementId = statement.Id, OrganizationId = organization.Id, Ordinal = 0 });
        db.Statements.Add(statement);
        db.AuditEntries.Add(command.Actor.Audit("create", "statement", statement.Id, statement.Slug, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await StatementDetails.ReadAsync(db, statement.Slug, cancellationToken);
    }
}
