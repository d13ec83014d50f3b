using System.Text.Json;

namespace PeftOps.Contracts;

/// <summary>Reads and writes <c>manifest.json</c> (docs/manifest-json.md). Reading throws <see cref="InputException"/>.</summary>
public static class ManifestJson
{
    public static byte[] SerializeToUtf8Bytes(Manifest manifest) => JsonSerializer.SerializeToUtf8Bytes(manifest, RegistryDocumentJson.Indented);

    /// <summary>Reads a manifest; <paramref name="source"/> names it in the error when it is not one.</summary>
    public static Manifest Parse(ReadOnlySpan<byte> json, string source)
    {
        Manifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<Manifest>(json, RegistryDocumentJson.Indented);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $":{line + 1}" : "";
            throw new InputException($"{source}{where}: not a readable manifest ({e.Message})", e);
        }
        catch (InvalidOperationException e)
        {
            throw new InputException($"{source}: not a readable manifest: it holds text that is not valid UTF-8 or UTF-16 ({e.Message})", e);
        }
        if (manifest is null || manifest.Schema != Manifest.SchemaId || manifest.Files is null || manifest.Adapter is null || manifest.Version is null)
            throw new InputException($"{source}: not a {Manifest.SchemaId} manifest (expected schema, adapter, version and files)");
        return manifest;
    }
}
