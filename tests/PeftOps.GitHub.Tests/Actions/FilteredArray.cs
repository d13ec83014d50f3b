namespace PeftOps.GitHub.Tests.Actions;

/// <summary>
/// What the object filter <c>.*</c> (or <c>[*]</c>) returns: an array whose further <c>.name</c> or <c>[index]</c> applies to
/// each item and keeps the items that have it (<c>github.event.pull_request.labels.*.name</c>), where a plain array
/// has no properties.
/// </summary>
internal sealed class FilteredArray(IEnumerable<object?> items) : List<object?>(items);
