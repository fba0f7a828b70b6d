namespace Organizer.Application.Common.Links;

/// <summary>A feed's address twice: https for programs and copy-paste, webcal:// for one-click subscription.</summary>
public sealed record FeedLinksDto(string Https, string Webcal)
{
    /// <summary>The webcal:// twin of an absolute http(s) feed URL.</summary>
    public static FeedLinksDto Of(string https) => new(https, "webcal://" + https[(https.IndexOf("://", StringComparison.Ordinal) + 3)..]);
}

/// <summary>An organization's calendar feed (https and webcal://) and its Atom feed of actions, for feed readers.</summary>
public sealed record OrganizationFeedLinksDto(string Https, string Webcal, string Atom);
