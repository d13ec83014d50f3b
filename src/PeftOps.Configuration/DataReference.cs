namespace PeftOps.Configuration;

/// <summary>
/// A data path may name one split of a JSON file that holds several, as <c>data_full.json#train</c> (CLINC150's
/// layout: an object whose keys are splits, each a list of <c>[text, label]</c>). The file part is what is checked,
/// read and hashed.
/// </summary>
public static class DataReference
{
    public static (string File, string? Split) Parse(string path)
    {
        var hash = path.LastIndexOf('#');
        if (hash <= 0 || hash == path.Length - 1)
            return (path, null);
        var (file, split) = (path[..hash], path[(hash + 1)..]);
        return file.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && split.IndexOfAny(['/', '\\']) < 0 ? (file, split) : (path, null);
    }

    /// <summary>The file a data path reads.</summary>
    public static string FileOf(string path) => Parse(path).File;
}
