using PeftOps.Contracts;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace PeftOps.Configuration.Schema;

/// <summary>
/// <c>method.target_modules</c>, as PEFT reads it: a list of module-name suffixes, the string
/// <c>all-linear</c>, or any other string as a regular expression matched against full module names.
/// </summary>
internal sealed class TargetModulesField() : SpecField<MethodSpec>("target_modules",
    "Where adapters are injected: a list of module-name suffixes (query, value), the string all-linear " +
    "(every linear layer except the output head), or a string that is a regular expression matched against full module names.")
{
    // PEFT's name, declared in Contracts because Configuration may not use PeftOps.Peft (docs/architecture.md)
    public const string AllLinear = PeftFileNames.AllLinear;

    public override MethodSpec Read(MethodSpec owner, YamlNode node, string path, SpecReadContext context)
    {
        if (node is YamlSequenceNode sequence)
        {
            var names = new List<string>();
            foreach (var child in sequence.Children)
            {
                if (!TryScalar(child, out var text) || string.IsNullOrEmpty(text))
                {
                    context.Error(child, $"{path}[{names.Count}] must be a module name (was {Was(child)})");
                    return owner;
                }
                names.Add(text);
            }
            if (names.Count == 0)
            {
                context.Error(node, $"{path} must name at least one module, or be all-linear or a regular expression (was [])");
                return owner;
            }
            return owner with { TargetModules = names, TargetModulesRegex = null, AllLinear = false };
        }
        if (!TryScalar(node, out var pattern) || string.IsNullOrEmpty(pattern))
        {
            context.Error(node, $"{path} must be a list of module names, all-linear or a regular expression (was {Was(node)})");
            return owner;
        }
        if (pattern == AllLinear)
            return owner with { TargetModules = [], TargetModulesRegex = null, AllLinear = true };
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant);
        }
        catch (ArgumentException)
        {
            context.Error(node, $"{path} must be a valid regular expression (was {pattern})");
            return owner;
        }
        return owner with { TargetModules = [], TargetModulesRegex = pattern, AllLinear = false };
    }

    public override JsonObject Schema(MethodSpec defaults) =>
        Describe(new JsonObject
        {
            ["anyOf"] = new JsonArray(
                new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string", ["minLength"] = 1 }, ["minItems"] = 1 },
                new JsonObject { ["const"] = AllLinear },
                new JsonObject { ["type"] = "string", ["format"] = "regex", ["minLength"] = 1 }),
            ["default"] = ToJson(defaults),
        });

    public override void Flatten(MethodSpec owner, string path, IDictionary<string, string> into) =>
        into[path] = owner.AllLinear ? AllLinear : owner.TargetModulesRegex ?? SpecTextFormat.List(owner.TargetModules);

    private static JsonNode ToJson(MethodSpec spec) =>
        spec.AllLinear ? AllLinear
        : spec.TargetModulesRegex is { } regex ? regex
        : new JsonArray([.. spec.TargetModules.Select(m => (JsonNode)m)]);
}
