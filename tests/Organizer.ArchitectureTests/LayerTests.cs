using System.Reflection;
using NetArchTest.Rules;
using Organizer.Application;
using Organizer.Domain.Common;
using Organizer.Infrastructure.Persistence;

namespace Organizer.ArchitectureTests;

/// <summary>
/// The layer rules of docs/architecture.md, checked against the compiled assemblies so that a stray
/// <c>using</c> or package reference fails the build's tests rather than waiting for a review.
/// </summary>
public sealed class LayerTests
{
    private static readonly Assembly Domain = typeof(Entity).Assembly;
    private static readonly Assembly Application = typeof(IOrganizerDbContext).Assembly;
    private static readonly Assembly Infrastructure = typeof(OrganizerDbContext).Assembly;

    [Fact]
    public void Domain_ReferencesNeitherEfNorAspNet() =>
        AssertNoDependency(Domain, "Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore", "Npgsql", "Mediator");

    [Fact]
    public void Application_ReferencesNeitherNpgsqlNorInfrastructureNorAspNet() =>
        AssertNoDependency(Application, "Npgsql", "Organizer.Infrastructure", "Organizer.Api", "Microsoft.AspNetCore");

    [Fact]
    public void Infrastructure_DoesNotReferenceAspNetCore() =>
        AssertNoDependency(Infrastructure, "Microsoft.AspNetCore", "Organizer.Api");

    [Fact]
    public void Handlers_DoNotSendThroughTheMediator()
    {
        var offenders = Types.InAssembly(Application)
            .That().HaveNameEndingWith("Handler")
            .Should().NotHaveDependencyOnAny("Mediator.ISender", "Mediator.IMediator", "Mediator.IPublisher")
            .GetResult().FailingTypes?.Select(t => t.FullName).ToList() ?? [];

        Assert.True(offenders.Count == 0, "Handlers that send through the mediator: " + string.Join(", ", offenders));
    }

    // Both the types' own dependencies and the assembly's references: Npgsql's EF functions live in the
    // Microsoft.EntityFrameworkCore namespace, so only the assembly reference gives them away.
    private static void AssertNoDependency(Assembly assembly, params string[] forbidden)
    {
        var types = Types.InAssembly(assembly)
            .Should().NotHaveDependencyOnAny(forbidden)
            .GetResult().FailingTypes?.Select(t => t.FullName).ToList() ?? [];
        var references = assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(name => forbidden.Any(f => name == f || name.StartsWith(f + ".", StringComparison.Ordinal)))
            .ToList();

        Assert.True(types.Count == 0 && references.Count == 0,
            $"{assembly.GetName().Name} depends on {string.Join(", ", forbidden)}:\n" +
            $"  assemblies: {string.Join(", ", references)}\n  types: {string.Join(", ", types)}");
    }
}
