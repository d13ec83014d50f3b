using PeftOps.Contracts;
using System.Globalization;
using System.Text;

namespace PeftOps.Registry;

/// <summary>
/// What a candidate was made from: base model weights, spec and data, each by sha256. Its <see cref="Address"/> is
/// where the reviewed candidate is kept, so a release at a later commit (the merge makes a new one) finds the bytes
/// that were reviewed for the same inputs. The commit is recorded beside it, never part of it.
/// </summary>
public sealed record CandidateInputs(string Adapter, string BaseModelSha256, string SpecSha256, IReadOnlyList<DataHash> Data)
{
    private const string Scheme = "peftops.candidate-inputs/v1";

    /// <summary>sha256 of the canonical text: one line per input, data ordered by role and name (paths and row counts left out).</summary>
    public string Address => Sha256.Hex(Encoding.UTF8.GetBytes(Canonical()));

    /// <summary>The inputs an eval.json records; null when it lacks a hash the address needs.</summary>
    public static CandidateInputs? FromEval(EvalFacts eval)
    {
        ArgumentNullException.ThrowIfNull(eval);
        return eval.BaseModel.Sha256 is { } baseSha && eval.SpecSha256 is { } specSha ? new(eval.Adapter, baseSha, specSha, eval.Data) : null;
    }

    /// <summary>The first input that differs from <paramref name="other"/>, in words, or null when both have one address.</summary>
    public string? FirstDifference(CandidateInputs other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var mine = Canonical().Split('\n');
        var theirs = other.Canonical().Split('\n');
        for (var i = 0; i < Math.Max(mine.Length, theirs.Length); i++)
        {
            var (a, b) = (i < mine.Length ? mine[i] : "(nothing)", i < theirs.Length ? theirs[i] : "(nothing)");
            if (a != b)
                return $"{b} where {a} was expected";
        }
        return null;
    }

    private string Canonical()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Scheme}\nadapter {Adapter}\nbase_model {BaseModelSha256}\nspec {SpecSha256}\n");
        foreach (var d in Data.OrderBy(d => d.Role, StringComparer.Ordinal).ThenBy(d => d.Name, StringComparer.Ordinal))
            text.Append(CultureInfo.InvariantCulture, $"data {d.Role} {d.Name} {d.Sha256}\n");
        return text.ToString();
    }
}
