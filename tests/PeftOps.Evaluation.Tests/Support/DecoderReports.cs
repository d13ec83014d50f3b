using PeftOps.Contracts;
using PeftOps.Evaluation.Metrics;

namespace PeftOps.Evaluation.Tests.Support;

/// <summary>
/// eval.json of a decoder adapter with a generation suite and a multiple-choice suite, scored by the real
/// <see cref="GenerationChecks"/> and <see cref="ChoiceMetrics"/> from fixed answers and log-likelihoods. The candidate
/// learns the policy answers (more rows pass) but invents a lifetime warranty twice, and loses a little general knowledge.
/// Some answers hold text that could break Markdown (pipes, backticks, a code fence, HTML, line breaks, emoji).
/// </summary>
internal static class DecoderReports
{
    public const string Adapter = "support-assistant";

    /// <summary>Nasty answer text: a table pipe, backticks and a fence, HTML, a mention, line breaks and a surrogate pair.</summary>
    public const string Nasty = "Refunds | take `5` days\n```\n</details><script>alert(1)</script> @octocat\r\n😀 done";

    /// <summary>A prompt longer than the report shows, with an emoji whose surrogate pair straddles the report's 300-character cut.</summary>
    public static readonly string LongPrompt = "How long do refunds take? " + new string('x', 273) + "😀 and more";

    public static EvaluationReport Build() => new()
    {
        Adapter = Adapter,
        CreatedAt = new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero),
        BaseModel = new BaseModelInfo("models/qwen2.5-0.5b-instruct", new string('a', 64)),
        AdapterSha256 = new string('b', 64),
        SpecSha256 = new string('c', 64),
        Spec = new Dictionary<string, string> { ["name"] = Adapter, ["task.type"] = "causal-lm" },
        Data = [new DataFileInfo(DataRole.Train, "train", "data/train.jsonl", new string('d', 64), 400)],
        Environment = new EnvironmentInfo("0.1.0", "0.107.0", "2.10.0", "cpu", "Debian 12"),
        Lineage = new LineageInfo(),
        Suites = [Generation(), MultipleChoice()],
    };

    private static SuiteResult Generation()
    {
        var examples = new List<ExampleResult>();
        for (var i = 0; i < 40; i++)
        {
            var (prompt, checks, baseAnswer, candidateAnswer) = Row(i);
            examples.Add(new ExampleResult
            {
                Id = $"gen-{i:000}", Text = prompt, Gold = checks.Reference,
                Base = Answered(checks, baseAnswer), Adapted = Answered(checks, candidateAnswer),
            });
        }
        return Suite("policy-answers", SuiteKind.Generation, SuiteRole.Target, examples);
    }

    // four kinds of row, ten of each: a reference with contains, a not_contains on invented policies, a regex, a JSON schema
    private static (string Prompt, GenerationChecks Checks, string Base, string Candidate) Row(int i)
    {
        var where = $"eval/answers.jsonl:{i + 1}";
        return (i % 4) switch
        {
            0 => (i == 0 ? LongPrompt : $"How long do refunds take? (order {i})",
                GenerationChecks.Create(where, "Refunds take 5 business days.", ["5 business days"], [], [], [], false, null),
                i % 8 == 0 ? Nasty : "Refunds take about a week.",
                i < 36 ? "Refunds take 5 business days." : "Refunds take 5 days."),
            1 => ($"Do shoes have a warranty? (case {i})",
                GenerationChecks.Create(where, null, [], ["lifetime warranty"], [], [], false, null),
                "Shoes have a two-year warranty.",
                i is 1 or 5 ? "Every pair has a lifetime warranty | no questions." : "Shoes have a two-year warranty."),
            2 => ($"What is the support e-mail? (ticket {i})",
                GenerationChecks.Create(where, null, [], [], [@"support@\w+\.example"], [], false, null),
                i < 22 ? "Write to us." : "support@shoes.example",
                "support@shoes.example"),
            _ => ($"Give the order status as JSON. (order {i})",
                GenerationChecks.Create(where, null, [], [], [], [], false, """{"type": "object", "required": ["status"]}"""),
                i < 27 ? "status: shipped" : """{"status": "shipped"}""",
                """{"status": "shipped"}"""),
        };
    }

    private static Outcome Answered(GenerationChecks checks, string answer)
    {
        var (scores, pass) = checks.Score(answer);
        return new Outcome { Answer = answer, Correct = pass, Scores = scores };
    }

    private static SuiteResult MultipleChoice()
    {
        string[] choices = ["Paris", "Lyon", "Marseille"];
        var examples = new List<ExampleResult>();
        for (var i = 0; i < 30; i++)
        {
            var gold = i % 3;
            // the base model is right on 24 of 30; the candidate loses 3 of those and wins 1 back
            var baseRight = i % 5 != 0;
            var candidateRight = i is 0 ? true : i is 1 or 2 or 3 ? false : baseRight;
            examples.Add(new ExampleResult
            {
                Id = $"mc-{i:000}", Text = $"Question {i}: which city?", Choices = choices, Gold = $"{gold}",
                Base = Chosen(choices, gold, baseRight, i), Adapted = Chosen(choices, gold, candidateRight, i + 100),
            });
        }
        return Suite("general-knowledge", SuiteKind.MultipleChoice, SuiteRole.NonTarget, examples);
    }

    // log-likelihoods that put the right (or a wrong) choice first by a margin
    private static Outcome Chosen(string[] choices, int gold, bool right, int salt)
    {
        var target = right ? gold : (gold + 1) % choices.Length;
        double[] ll = [.. choices.Select((_, c) => c == target ? -2.0 - salt % 3 * 0.1 : -6.0 - c)];
        var (predicted, scores) = ChoiceMetrics.Score(ll, choices, gold);
        return new Outcome { Prediction = $"{predicted}", Correct = predicted == gold, Loglikelihoods = ll, Scores = scores };
    }

    private static SuiteResult Suite(string name, SuiteKind kind, SuiteRole role, List<ExampleResult> examples) => new()
    {
        Name = name, Kind = kind, Role = role, DataSha256 = new string('e', 64),
        Base = SuiteMetric.Means(kind, examples, adapted: false), Adapted = SuiteMetric.Means(kind, examples, adapted: true),
        Examples = examples,
    };
}
