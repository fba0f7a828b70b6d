namespace Organizer.Domain.Organizations;

public enum OrganizationKind
{
    Party,
    Union,
    Network,
    YouthLeague,
    Alliance,
    StudentGroup,
    Ngo,
    Movement,
    Government,
    Other,
}
