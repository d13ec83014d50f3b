using PeftOps.Contracts;
using PeftOps.TestSupport;

namespace PeftOps.Configuration.Tests;

/// <summary>A temp <c>adapters/&lt;name&gt;/</c> folder with (empty) data files, for loading specs from text.</summary>
internal sealed class AdapterFolder : IDisposable
{
    private readonly TempDirectory _temp = new("peftops-spec");

    public AdapterFolder(string name = "x", params string[] files)
    {
        Name = name;
        Directory = _temp.Combine("adapters", name);
        System.IO.Directory.CreateDirectory(Directory);
        foreach (var file in files.Length == 0 ? ["data/train.jsonl"] : files)
            Touch(file);
    }

    public string Name { get; }

    /// <summary>The adapter folder (absolute).</summary>
    public string Directory { get; }

    /// <summary>How messages name the spec: <c>adapters/x/adapter.yaml</c>.</summary>
    public string SourcePath => $"adapters/{Name}/adapter.yaml";

    public string Resolve(string relative) => Path.GetFullPath(Path.Combine(Directory, relative));

    public void Touch(string relative)
    {
        var path = Resolve(relative);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "");
    }

    public AdapterSpec Parse(string yaml, params string[] overrides) =>
        AdapterSpecLoader.Parse(yaml, SourcePath, Directory, overrides);

    /// <summary>The message of the <see cref="InputException"/> loading must throw.</summary>
    public string Errors(string yaml, params string[] overrides) =>
        Assert.Throws<InputException>(() => Parse(yaml, overrides)).Message;

    public void Dispose() => _temp.Dispose();
}
