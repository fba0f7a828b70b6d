namespace Organizer.Application.Feeds;

/// <summary>
/// Where every instance's feed evictions stand, kept where all instances see it (Redis; decision 015), so that a write
/// through one instance drops the feeds every other instance keeps before its next request.
/// <para>
/// Evictions are numbered: moving a set of tags takes the next number and files it under each tag. A render takes
/// <see cref="StampAsync"/> before it reads anything and may be kept only if none of its tags moved past that stamp;
/// a kept feed records its tags' numbers and is served only while they are still the same.
/// </para>
/// Reads answer null when the shared store cannot be reached: the caller then renders, and keeps nothing.
/// </summary>
public interface ISharedFeedVersions
{
    Task<SharedStamp?> StampAsync(CancellationToken cancellationToken);

    Task<SharedVersions?> ReadAsync(IReadOnlyList<string> tags, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the tags after a commit. When the store cannot be reached, the move is lost: the implementation must then
    /// start a new epoch as soon as it can, which every kept feed everywhere fails to match.
    /// </summary>
    Task MoveAsync(IReadOnlyList<string> tags, CancellationToken cancellationToken);
}

/// <param name="Epoch">Changes when the store lost its numbers (a restart without persistence) or was reset.</param>
/// <param name="Evictions">How many evictions there have been.</param>
/// <param name="Everything">The number under <see cref="FeedTags.Every"/>: it moves when a place, an organization's name
/// or a document changed, which the event text kept by <see cref="EventFragments"/> may show.</param>
public readonly record struct SharedStamp(string Epoch, long Evictions, long Everything);

/// <param name="Tags">For each tag asked about, the number of the eviction that last moved it (0: none remembered).</param>
public sealed record SharedVersions(string Epoch, long[] Tags)
{
    public bool SameAs(SharedVersions other) => Epoch == other.Epoch && Tags.AsSpan().SequenceEqual(other.Tags);

    /// <summary>True when none of the tags moved after the stamp was taken, in the stamp's epoch.</summary>
    public bool NotPast(SharedStamp stamp) => Epoch == stamp.Epoch && Tags.All(t => t <= stamp.Evictions);
}
