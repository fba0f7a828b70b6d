namespace Organizer.Domain.Events;

public enum EventKind
{
    Rally,
    Picket,
    March,
    Demonstration,
    Blockade,
    Assembly,
    Conference,
    Panel,
    Workshop,
    TeachIn,
    Vigil,
    OnlineAction,
    Other,
}

public enum EventStatus
{
    Scheduled,
    Cancelled,
    Postponed,
    Pending,
}

public enum ParticipationRole
{
    Host,
    CoOrganizer,
    Participant,
    Endorser,
}

public enum Visibility
{
    Public,
    Unlisted,
    Private,
}
