using PeftOps.Contracts;
using System.Text.Json;

namespace PeftOps.Registry;

/// <summary>Turns git tags into registry events; tags outside GTO's grammar and lightweight tags are ignored, as GTO does.</summary>
internal static class TagReader
{
    public static IReadOnlyList<AdapterState> Fold(IReadOnlyList<GitTag> tags)
    {
        var parsed = tags.Select(t => (Tag: t, Name: GtoTagName.TryParse(t.Name)))
            .Where(p => p.Name is not null && p.Tag.Annotated && p.Tag.TaggedAt is not null)
            .ToList();
        var states = new List<AdapterState>();
        foreach (var group in parsed.GroupBy(p => p.Name!.Artifact, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ordered = group.OrderBy(p => p.Tag.TaggedAt).ThenBy(p => p.Name!.Counter ?? 0).ToList();
            var events = new List<RegistryEvent>();
            foreach (var (tag, name) in ordered)
            {
                var record = ReadRecord(tag.Message);
                var version = name!.Version ?? record?.Version ?? VersionAt(events, tag.Commit) ?? tag.Commit;
                events.Add(new RegistryEvent(tag.Name, name.Artifact, name.Action, version,
                    name.Stage, name.Counter, tag.TaggedAt!.Value, tag.Tagger ?? "", tag.Commit, tag.Message,
                    record?.Action == "rollback"));
            }
            states.Add(new AdapterState(group.Key, events));
        }
        return states;
    }

    /// <summary>The largest GTO counter among every tag of <paramref name="adapter"/>, lightweight ones included.</summary>
    public static int LastCounter(IReadOnlyList<GitTag> tags, string adapter) =>
        tags.Select(t => GtoTagName.TryParse(t.Name)).Where(n => n?.Artifact == adapter).Select(n => n!.Counter ?? 0).DefaultIfEmpty(0).Max();

    public static LineageRecord? ReadLineage(string message) => LineageRecordJson.TryParse(message);

    private static EventRecord? ReadRecord(string message)
    {
        try
        {
            var record = JsonSerializer.Deserialize<EventRecord>(message, RegistryDocumentJson.Indented);
            return record?.Schema == EventRecord.SchemaId ? record : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // GTO maps a stage tag to the version registered at the same commit
    private static string? VersionAt(List<RegistryEvent> earlier, string commit) =>
        earlier.LastOrDefault(e => e.Action == GtoAction.Register && e.Commit == commit)?.Version;
}
