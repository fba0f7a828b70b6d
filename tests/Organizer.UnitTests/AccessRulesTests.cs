using Organizer.Application.Access;
using Organizer.Application.Common.Security;
using Organizer.Domain.Events;

namespace Organizer.UnitTests;

/// <summary>The rules of Application/Access as tables, without HTTP: who may call a route, and who may change what.</summary>
public sealed class AccessRulesTests
{
    private static readonly Guid Host = Guid.NewGuid(), Listed = Guid.NewGuid(), Other = Guid.NewGuid();

    public enum Who { Anonymous, HostToken, ListedToken, OtherToken, Admin }

    private static Actor ActorFor(Who who) => who switch
    {
        Who.Admin => Actor.Admin,
        Who.HostToken => new Actor(ActorKind.Organization, Host, Guid.NewGuid()),
        Who.ListedToken => new Actor(ActorKind.Organization, Listed, Guid.NewGuid()),
        Who.OtherToken => new Actor(ActorKind.Organization, Other, Guid.NewGuid()),
        _ => new Actor(ActorKind.Anonymous, ClientAddress: "192.0.2.1"),
    };

    [Theory]
    [InlineData(AccessPolicies.Admin, Who.Admin, false, true)]
    [InlineData(AccessPolicies.Admin, Who.HostToken, false, false)]
    [InlineData(AccessPolicies.Admin, Who.Anonymous, true, false)]
    [InlineData(AccessPolicies.OrganizationToken, Who.HostToken, false, true)]
    [InlineData(AccessPolicies.OrganizationToken, Who.Admin, false, true)]
    [InlineData(AccessPolicies.OrganizationToken, Who.Anonymous, true, false)]
    [InlineData(AccessPolicies.AnonymousSubmission, Who.HostToken, false, true)]
    [InlineData(AccessPolicies.AnonymousSubmission, Who.Anonymous, false, false)]
    [InlineData(AccessPolicies.AnonymousSubmission, Who.Anonymous, true, true)]
    public void RoutePolicies(string policy, Who who, bool submissionsOpen, bool allowed) =>
        Assert.Equal(allowed, AccessPolicies.Allows(policy, ActorFor(who), new ModerationOptions { AllowAnonymousSubmissions = submissionsOpen }));

    [Theory]
    [InlineData(Who.Admin, true)]
    [InlineData(Who.HostToken, true)]
    [InlineData(Who.ListedToken, false)]
    [InlineData(Who.OtherToken, false)]
    [InlineData(Who.Anonymous, false)]
    public void AnEvent_IsChangedByItsHostAndTheAdminOnly(Who who, bool allowed)
    {
        var e = EventHostedBy(Host, listing: Listed);

        foreach (var change in new Change[] { new Change.OfEvent(e), new Change.SessionOf(e), new Change.StatementReadAt(e) })
        {
            Assert.Equal(allowed, ChangeRules.Refusal(change, ActorFor(who)) is null);
        }
    }

    [Theory]
    [InlineData(Who.ListedToken, true)]
    [InlineData(Who.HostToken, true)]
    [InlineData(Who.Admin, true)]
    [InlineData(Who.OtherToken, false)]
    [InlineData(Who.Anonymous, false)]
    public void ANamedOrganization_MayTakeItsNameOff(Who who, bool allowed) =>
        Assert.Equal(allowed, ChangeRules.Refusal(new Change.TakeOff(EventHostedBy(Host, listing: Listed), Listed), ActorFor(who)) is null);

    [Theory]
    [InlineData(Who.HostToken, true)]
    [InlineData(Who.Admin, true)]
    [InlineData(Who.Anonymous, true)] // a submission proposes its host and waits for review
    [InlineData(Who.OtherToken, false)]
    public void HostingAnEvent_IsForTheTokensOwnOrganization(Who who, bool allowed) =>
        Assert.Equal(allowed, ChangeRules.Refusal(new Change.HostedBy(Host), ActorFor(who)) is null);

    [Theory]
    [InlineData(Who.HostToken, true)]
    [InlineData(Who.Admin, true)]
    [InlineData(Who.OtherToken, false)]
    [InlineData(Who.Anonymous, false)]
    public void ActingForAnOrganization_IsForItsOwnTokens(Who who, bool allowed) =>
        Assert.Equal(allowed, ChangeRules.Refusal(new Change.ForOrganization(Host), ActorFor(who)) is null);

    [Fact]
    public void OnlyTheAdmin_HandsAnEventOver()
    {
        var e = EventHostedBy(Host, listing: Listed);

        Assert.Null(ChangeRules.Refusal(new Change.HandOver(e), Actor.Admin));
        Assert.Equal("Only the admin may hand an event to another host.", ChangeRules.Refusal(new Change.HandOver(e), ActorFor(Who.HostToken)));
    }

    private static Event EventHostedBy(Guid host, Guid listing) => new()
    {
        Slug = "2026-12-05-rally",
        Title = "Rally",
        Schedule = EventSchedule.AllDayRange(new DateOnly(2026, 12, 5), new DateOnly(2026, 12, 5), "America/Toronto"),
        Participations =
        [
            new EventParticipation { OrganizationId = host, Role = ParticipationRole.Host },
            new EventParticipation { OrganizationId = listing, Role = ParticipationRole.CoOrganizer },
        ],
    };
}
