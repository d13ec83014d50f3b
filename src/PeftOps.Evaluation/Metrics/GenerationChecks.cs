using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;
using PeftOps.Contracts;

namespace PeftOps.Evaluation.Metrics;

/// <summary>
/// What one generation row asks of an answer: a <see cref="Reference"/> to score against, and requirements that must
/// all hold for the row to pass: every <see cref="Contains"/> string appears (ordinal, case-sensitive), no
/// <see cref="NotContains"/> string does, every <see cref="Regex"/> matches somewhere and no <see cref="NotRegex"/> does,
/// with <see cref="Json"/> the whole answer (trimmed) parses as JSON, and with <see cref="JsonSchema"/> it also validates.
/// Build it with <see cref="Create"/>, which checks the patterns and the schema once, naming the row.
/// </summary>
public sealed record GenerationChecks
{
    /// <summary>Regex matching gives up after this long on one answer (a pattern that backtracks badly is bad input, not a hang).</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(2);

    public string? Reference { get; private init; }
    public IReadOnlyList<string> Contains { get; private init; } = [];
    public IReadOnlyList<string> NotContains { get; private init; } = [];
    public IReadOnlyList<Regex> Regex { get; private init; } = [];
    public IReadOnlyList<Regex> NotRegex { get; private init; } = [];
    public bool Json { get; private init; }
    public JsonSchema? JsonSchema { get; private init; }

    /// <summary>Whether the row asks anything at all; a row that asks nothing could never fail and is refused when read.</summary>
    public bool IsEmpty => Reference is null && Contains.Count == 0 && NotContains.Count == 0 && Regex.Count == 0
        && NotRegex.Count == 0 && !Json && JsonSchema is null;

    /// <param name="where">names the row in errors (<c>suite.jsonl:7</c>).</param>
    /// <param name="jsonSchema">the schema's JSON text, or null.</param>
    public static GenerationChecks Create(
        string where, string? reference, IReadOnlyList<string> contains, IReadOnlyList<string> notContains,
        IReadOnlyList<string> regex, IReadOnlyList<string> notRegex, bool json, string? jsonSchema) => new()
    {
        Reference = reference,
        Contains = contains,
        NotContains = notContains,
        Regex = [.. regex.Select((p, i) => Compile(where, $"regex[{i}]", p))],
        NotRegex = [.. notRegex.Select((p, i) => Compile(where, $"not_regex[{i}]", p))],
        Json = json || jsonSchema is not null,
        JsonSchema = jsonSchema is null ? null : CompileSchema(where, jsonSchema),
    };

    /// <summary>
    /// The row's metrics for one answer: <c>exact_match</c>, <c>rouge_l</c> and <c>chrf</c> with a reference, and 1 or 0
    /// for each requirement kind it has (<c>contains</c>, ..., <c>json_schema</c>); pass is every requirement holding.
    /// The reference-based metrics are scores, not requirements: a row with only a reference passes.
    /// </summary>
    public (IReadOnlyDictionary<string, double> Scores, bool Pass) Score(string answer)
    {
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        if (Reference is { } reference)
        {
            scores[MetricNames.ExactMatch] = TextMetrics.ExactMatch(answer, reference);
            scores[MetricNames.RougeL] = TextMetrics.RougeL(answer, reference);
            scores[MetricNames.ChrF] = TextMetrics.ChrF(answer, reference);
        }
        var parsed = Json ? TryParse(answer) : null;
        (string Key, bool Applies, Func<bool> Holds)[] requirements =
        [
            ("contains", Contains.Count > 0, () => Contains.All(s => answer.Contains(s, StringComparison.Ordinal))),
            ("not_contains", NotContains.Count > 0, () => !NotContains.Any(s => answer.Contains(s, StringComparison.Ordinal))),
            ("regex", Regex.Count > 0, () => Regex.All(r => Matches(r, answer))),
            ("not_regex", NotRegex.Count > 0, () => !NotRegex.Any(r => Matches(r, answer))),
            ("json", Json, () => parsed is not null),
            ("json_schema", JsonSchema is not null, () => parsed is not null && JsonSchema!.Evaluate(parsed.RootElement).IsValid),
        ];
        var pass = true;
        foreach (var (key, applies, holds) in requirements.Where(r => r.Applies))
        {
            var held = holds();
            scores[key] = held ? 1 : 0;
            pass &= held;
        }
        parsed?.Dispose();
        return (scores, pass);
    }

    private static JsonDocument? TryParse(string answer)
    {
        try
        {
            return JsonDocument.Parse(answer.Trim(), JsonInput.Strict);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // a pattern that times out on an answer counts as not matching: the answer is the model's, the pattern the author's
    private static bool Matches(Regex regex, string answer)
    {
        try
        {
            return regex.IsMatch(answer);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static Regex Compile(string where, string key, string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (ArgumentException e)
        {
            throw new InputException($"{where}: {key} is not a valid .NET regular expression ({e.Message}) (was {pattern})", e);
        }
    }

    /// <summary>
    /// JSON Schema as JsonSchema.Net evaluates it (drafts 6, 7, 2019-09 and 2020-12; 2020-12 when <c>$schema</c> is absent; JsonSchema.Net 7).
    /// Only schemas that stand alone: a <c>$ref</c> to another document is refused here, because evaluation never fetches.
    /// </summary>
    private static JsonSchema CompileSchema(string where, string text)
    {
        try
        {
            var schema = global::Json.Schema.JsonSchema.FromText(text);
            using var probe = JsonDocument.Parse("null");
            schema.Evaluate(probe.RootElement);
            return schema;
        }
        catch (Exception e) when (e is JsonException or JsonSchemaException or RefResolutionException or ArgumentException or InvalidOperationException)
        {
            throw new InputException($"{where}: json_schema is not a JSON Schema this evaluator can apply ({e.Message})", e);
        }
    }
}
