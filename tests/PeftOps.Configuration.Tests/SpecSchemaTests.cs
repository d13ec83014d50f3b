using System.Text.Json.Nodes;
using PeftOps.TestSupport;

namespace PeftOps.Configuration.Tests;

public sealed class SpecSchemaTests
{
    [Fact]
    public void The_checked_in_schema_is_the_generated_one()
    {
        var path = Path.Combine(TestPaths.RepoRoot, SpecSchema.RepositoryPath);
        var checkedIn = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "(missing)";

        Assert.True(checkedIn == SpecSchema.Generate(),
            $"{SpecSchema.RepositoryPath} is out of step with the spec definition; regenerate it with: {SpecSchema.RegenerateCommand}");
    }

    [Fact]
    public void The_schema_documents_every_key_with_its_default()
    {
        var schema = JsonNode.Parse(SpecSchema.Generate())!;
        var method = schema["properties"]!["method"]!["properties"]!;

        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema["$schema"]!.GetValue<string>());
        Assert.Equal(8, method["r"]!["default"]!.GetValue<int>());
        Assert.Equal(0, method["r"]!["exclusiveMinimum"]!.GetValue<double>());
        Assert.Equal(["query", "value"], method["target_modules"]!["default"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(0.95, schema["properties"]!["gate"]!["properties"]!["confidence"]!["default"]!.GetValue<double>());
        Assert.False(schema["additionalProperties"]!.GetValue<bool>());
        Assert.Equal(["name", "data"], schema["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.All(Leaves(schema), leaf => Assert.False(string.IsNullOrWhiteSpace(leaf["description"]?.GetValue<string>()), leaf.GetPath()));
    }

    /// <summary>Every property schema in the tree.</summary>
    private static IEnumerable<JsonObject> Leaves(JsonNode node)
    {
        if (node["properties"] is JsonObject properties)
        {
            foreach (var (_, child) in properties)
            {
                yield return child!.AsObject();
                foreach (var leaf in Leaves(child))
                    yield return leaf;
            }
        }
        if (node["items"] is JsonObject items)
        {
            foreach (var leaf in Leaves(items))
                yield return leaf;
        }
    }
}
