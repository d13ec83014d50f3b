using System.Text;
using System.Text.Json;

namespace PeftOps.GitHub.Tests.Actions;

/// <summary>
/// GitHub Actions' expression language where a workflow uses it: a <c>${{ }}</c> inside a string, a whole expression
/// (a matrix), and an <c>if:</c>, whose status functions (<c>success()</c>, <c>always()</c>, <c>failure()</c>,
/// <c>cancelled()</c>) are calls in the parsed expression: where it calls none, GitHub's implicit <c>success() &amp;&amp;</c>
/// applies. Parsing is <see cref="ExpressionParser"/>, values <see cref="ExpressionValues"/>, functions
/// <see cref="ExpressionFunctions"/>. What GitHub would refuse throws <see cref="FormatException"/>; what GitHub allows but
/// the harness does not do throws <see cref="NotSupportedException"/>, so a workflow that outgrows the harness fails its
/// test instead of being misread. (docs.github.com/actions/reference/workflows-and-actions/expressions)
/// </summary>
internal static class ActionsExpression
{
    /// <summary>A whole expression (no <c>${{ }}</c>), outside an <c>if:</c>.</summary>
    public static object? Evaluate(string expression, IReadOnlyDictionary<string, object?> contexts) =>
        ExpressionParser.Parse(expression, statusChecksAllowed: false).Evaluate(contexts, null);

    /// <summary>Replaces every <c>${{ ... }}</c> in <paramref name="text"/> with its value as a string.</summary>
    public static string Interpolate(string text, IReadOnlyDictionary<string, object?> contexts)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new StringBuilder();
        var at = 0;
        while (text.IndexOf("${{", at, StringComparison.Ordinal) is var open and >= 0)
        {
            var (node, end) = ExpressionParser.ParseEmbedded(text, open + 3, statusChecksAllowed: false);
            result.Append(text, at, open - at).Append(ExpressionValues.Text(node.Evaluate(contexts, null)));
            at = end;
        }
        return result.Append(text[at..]).ToString();
    }

    /// <summary>
    /// Whether an <c>if:</c> (with or without <c>${{ }}</c>) lets a job or step run, given what ran before it
    /// (<paramref name="status"/>; by default nothing failed). An empty condition is <c>success()</c>.
    /// </summary>
    public static bool Condition(string? condition, IReadOnlyDictionary<string, object?> contexts, RunStatus? status = null)
    {
        status ??= RunStatus.Success;
        if (string.IsNullOrWhiteSpace(condition))
            return status.Succeeded;
        var text = condition.Trim();
        ExpressionNode node;
        if (text.StartsWith("${{", StringComparison.Ordinal))
        {
            (node, var end) = ExpressionParser.ParseEmbedded(text, 3, statusChecksAllowed: true);
            if (end != text.Length)
                throw new NotSupportedException($"if: {condition}: text after the ${{{{ }}}} is not evaluated by the harness");
        }
        else
            node = ExpressionParser.Parse(text, statusChecksAllowed: true);
        var checksStatus = node.Nodes().OfType<ExpressionNode.Call>().Any(c => c.IsStatusCheck);
        return (checksStatus || status.Succeeded) && ExpressionValues.Truthy(node.Evaluate(contexts, status));
    }

    /// <summary>A JSON value (an event payload) as the expression language's values.</summary>
    public static object? FromJson(JsonElement element) => ExpressionFunctions.FromJson(element);
}
