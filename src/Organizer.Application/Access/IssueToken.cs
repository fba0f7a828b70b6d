using System.Security.Cryptography;
using FluentValidation;
using Mediator;
using Organizer.Application.Common.Security;
using Organizer.Application.Common.Validation;
using Organizer.Domain.Access;

namespace Organizer.Application.Access;

/// <summary>A new token, shown this once: only its hash is stored.</summary>
public sealed record IssuedTokenDto(Guid Id, string Token, string Organization);

public sealed record IssueTokenCommand(string OrganizationSlug, string? Label, Actor Actor) : ICommand<IssuedTokenDto>;

public sealed class IssueTokenCommandValidator : AbstractValidator<IssueTokenCommand>
{
    public IssueTokenCommandValidator() =>
        RuleFor(c => c.Label).MaximumLength(200).IsSafeText().OverridePropertyName("label");
}

public sealed class IssueTokenCommandHandler(IOrganizerDbContext db, IChangeAuthorization access, TimeProvider clock) : ICommandHandler<IssueTokenCommand, IssuedTokenDto>
{
    public async ValueTask<IssuedTokenDto> Handle(IssueTokenCommand command, CancellationToken cancellationToken)
    {
        var organization = await OrganizationAccess.LoadForWriteAsync(db, access, command.OrganizationSlug, command.Actor, cancellationToken);

        var secret = Tokens.NewSecret();
        var token = new ApiToken { OrganizationId = organization.Id, Label = command.Label, SecretHash = Tokens.Hash(secret) };
        db.ApiTokens.Add(token);
        db.AuditEntries.Add(command.Actor.Audit("issue-token", "token", token.Id, organization.Slug, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedTokenDto(token.Id, Tokens.Format(token.Id, secret), organization.Slug);
    }
}

/// <summary>The token format and its hashing, shared by issuing and checking.</summary>
public static class Tokens
{
    /// <summary>256 random bits, URL-safe.</summary>
    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Hash(string secret) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret));

    public static string Format(Guid id, string secret) => $"{id:N}.{secret}";

    public static bool TryParse(string token, out Guid id, out string secret)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        secret = dot > 0 ? token[(dot + 1)..] : "";
        return Guid.TryParseExact(dot > 0 ? token[..dot] : "", "N", out id) & secret.Length > 0;
    }

    /// <summary>Compares a presented secret with a stored hash in constant time.</summary>
    public static bool Matches(string secret, byte[] storedHash) => CryptographicOperations.FixedTimeEquals(Hash(secret), storedHash);
}
