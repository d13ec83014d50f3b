using PeftOps.Contracts;
namespace PeftOps.Registry;

/// <summary>A file of a version as it will be stored: its name in the layout and its bytes.</summary>
public sealed record CandidateFile(string Name, byte[] Content)
{
    public ManifestFile Entry => new(Sha256.Hex(Content), Content.LongLength);
}
