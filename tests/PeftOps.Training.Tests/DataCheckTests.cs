using PeftOps.Inference;
using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Modeling.Checkpoints;
using PeftOps.TestSupport;
using PeftOps.Training.DataChecks;

namespace PeftOps.Training.Tests;

/// <summary>
/// peftops data check on real files: the exact checks on hand-placed leaks, duplicates and conflicts; near
/// duplicates and label errors with the builtin all-MiniLM-L6-v2 and a TorchSharp probe; a base model that cannot be
/// loaded makes those checks not-run, never passed; causal-lm data on the tiny Llama.
/// </summary>
[Collection(TorchRngCollection.Name)]
public sealed class DataCheckTests
{
    private static readonly string[] Weather =
    [
        "Will it rain in London tomorrow?", "How hot will it be on Saturday afternoon?", "Is there snow forecast for the mountains this week?",
        "What's the weather in Paris?", "Do I need an umbrella today?", "How windy is it on the coast right now?",
        "Is it going to be sunny this weekend?", "What is the temperature outside at the moment?", "Will there be a thunderstorm tonight?",
        "How cold does it get overnight in January?", "Is the fog going to clear by the morning?", "What is the chance of showers on Monday?",
    ];

    private static readonly string[] Food =
    [
        "How long should I boil an egg for a runny yolk?", "What can I cook with leftover rice?", "Give me a recipe for tomato soup.",
        "Which spices go well with roast lamb?", "How do I make fluffy pancakes?", "What wine goes with salmon?",
        "Is it safe to refreeze thawed chicken?", "How do I stop pasta from sticking together?", "What is a good vegetarian lasagne recipe?",
        "How much yeast do I need for one loaf of bread?", "Can I replace butter with oil in a cake?", "I love pizza",
    ];

    private static readonly string[] Sport =
    [
        "Who won the football match last night?", "When does the tennis tournament start?", "How many players are on a rugby team?",
        "What was the score in the basketball game?", "Who holds the marathon world record?", "Which team topped the cricket league this season?",
        "When is the next Formula One race?", "How long is an ice hockey period?", "Who scored the winning goal in the cup final?",
        "What are the rules of the offside in football?", "Which swimmer won the most Olympic medals?", "Who won the match?",
    ];

    [Fact]
    public void Text_keys_fold_unicode_forms_case_punctuation_and_white_space()
    {
        Assert.Equal("whats the weather in paris", TextKey.Of("  What's the WEATHER   in\tParis?! "));
        Assert.Equal("fine weather", TextKey.Of("ﬁne ｗｅａｔｈｅｒ"));            // NFKC: the ligature and full-width letters
        Assert.Equal("école", TextKey.Of("E\u0301COLE"));                        // decomposed accent composed, then lower case
        Assert.NotEqual(TextKey.Of("rain today"), TextKey.Of("rain to day"));
    }

    [Fact]
    public void Exact_checks_find_every_placed_leak_duplicate_conflict_and_label_finding_and_model_checks_say_they_did_not_run()
    {
        using var adapter = Adapter(baseModel: "/nonexistent/base-model");
        var spec = AdapterSpecLoader.Load(adapter.Path);

        var report = DataCheckRecipe.Run(spec);

        var leak = Assert.Single(report.Duplicates, g => g.Kind == "leakage");
        Assert.Equal("whats the weather in paris", leak.Key);
        Assert.Equal([new DataRow("train", 4, "What's the weather in Paris?", "weather"), new DataRow("test", 1, "what's the WEATHER in paris", "weather")], leak.Rows);
        Assert.Equal(1, Count(report, "leakage"));
        var conflict = Assert.Single(report.Conflicts);
        Assert.Equal(["train:36 sport", "validation:2 food"], conflict.Rows.Select(r => $"{r.Split}:{r.Line} {r.Label}"));
        Assert.Equal(1, Count(report, "conflicts"));
        // "I love pizza" twice in train and once in the out-of-scope messages, "Who won the match" in train and validation, a coat twice in validation
        Assert.Equal(["across: i love pizza", "across: who won the match", "within: should i wear a coat today"], report.Duplicates.Where(g => g.Kind != "leakage").Select(g => $"{g.Kind}: {g.Key}"));
        var scope = Assert.Single(report.ScopeOverlap);
        Assert.Equal(["train:24", "train:37", "out_of_scope:2"], scope.Rows.Select(r => $"{r.Split}:{r.Line}"));
        Assert.Equal([new LabelCount("test", "music", 1)], report.UnseenLabels);
        Assert.Equal([new LabelCount("train", "travel", 2)], report.RareLabels);
        var train = report.Imbalance.Single(i => i.Split == "train");
        Assert.Equal(("food", 14, "travel", 2, 7.0), (train.Largest, train.LargestCount, train.Smallest, train.SmallestCount, train.Ratio));
        Assert.Equal(13, report.Splits.Single(s => s.Name == "train").Labels["weather"]);
        foreach (var name in new[] { "near_duplicates", "label_errors" })
        {
            var check = report.Checks.Single(c => c.Name == name);
            Assert.Equal(DataCheckSummary.NotRun, check.Status);
            Assert.StartsWith("base model /nonexistent/base-model cannot be loaded: ", check.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void With_the_base_model_near_duplicates_are_every_pair_at_the_threshold_and_flipped_labels_are_flagged()
    {
        using var adapter = Adapter(baseModel: "builtin:all-MiniLM-L6-v2");
        var spec = AdapterSpecLoader.Load(adapter.Path, ["data_checks.near_duplicate_threshold=0.8"]);

        var report = DataCheckRecipe.Run(spec);

        // every training/evaluation pair at or above 0.8 by an independent all-pairs computation, exact matches aside
        using var model = ModelLoader.Load(spec.BaseModel);
        var train = ReadRows(adapter, "train.jsonl", "train").Concat(ReadRows(adapter, "out_of_scope.jsonl", "out_of_scope")).ToList();
        var test = ReadRows(adapter, "test.jsonl", "test");
        var (t, e) = (Predictor.Embeddings(model, [.. train.Select(r => r.Text)], 32), Predictor.Embeddings(model, [.. test.Select(r => r.Text)], 32));
        var expected = (from i in Enumerable.Range(0, test.Count) from j in Enumerable.Range(0, train.Count)
                        let cos = e[i].Zip(t[j], (a, b) => (double)a * b).Sum()
                        where cos >= 0.8 - 1e-6 && TextKey.Of(test[i].Text) != TextKey.Of(train[j].Text)
                        select $"{train[j].Split}:{train[j].Line}~{test[i].Line}").Order().ToList();
        Assert.Equal(expected, report.NearDuplicates.Select(p => $"{p.Train.Split}:{p.Train.Line}~{p.Evaluation.Line}").Order());
        Assert.Contains("train:2~3", expected);   // "How hot will it be on Saturday afternoon?" and its longer copy in test
        // the two flipped rows are flagged, each with its true topic suggested
        var issues = report.LabelErrors.ToDictionary(i => i.Row.Line);
        Assert.Equal("weather", issues[38].Suggested);
        Assert.Equal("sport", issues[39].Suggested);
        Assert.True(issues[38].Probability > issues[38].GivenProbability);
        Assert.True(report.LabelErrors.Count <= 6, string.Join("; ", report.LabelErrors.Select(i => $"{i.Row.Line} {i.Row.Text} {i.Row.Label}->{i.Suggested}")));
    }

    [Fact]
    public void In_bf16_the_encoder_finds_what_it_finds_in_float32_and_data_json_says_which_dtype_embedded()
    {
        using var adapter = Adapter(baseModel: "builtin:all-MiniLM-L6-v2");

        var float32 = DataCheckRecipe.Run(AdapterSpecLoader.Load(adapter.Path, ["data_checks.near_duplicate_threshold=0.8"]));
        var bf16 = DataCheckRecipe.Run(AdapterSpecLoader.Load(adapter.Path, ["data_checks.near_duplicate_threshold=0.8", "data_checks.dtype=bf16"]));

        Assert.Equal("float32", float32.Settings.Dtype);
        Assert.Equal("bf16", bf16.Settings.Dtype);
        Assert.All(bf16.Checks, c => Assert.NotEqual(DataCheckSummary.NotRun, c.Status));
        // the same pairs and the two flipped rows: bfloat16 moves cosines by a few thousandths, not across these margins
        static IEnumerable<string> Pairs(DataReport r) => r.NearDuplicates.Select(p => $"{p.Train.Split}:{p.Train.Line}~{p.Evaluation.Line}").Order();
        Assert.Equal(Pairs(float32), Pairs(bf16));
        var flagged = bf16.LabelErrors.ToDictionary(i => i.Row.Line);
        Assert.Equal("weather", flagged[38].Suggested);
        Assert.Equal("sport", flagged[39].Suggested);
    }

    [Fact]
    public void Confident_learning_prunes_by_noise_rate_from_the_calibrated_confident_joint()
    {
        // three rows of label 0, three of label 1; row 2 looks like label 1 and row 5 is unsure
        float[][] p = [[0.9f, 0.1f], [0.8f, 0.2f], [0.2f, 0.8f], [0.1f, 0.9f], [0.3f, 0.7f], [0.45f, 0.55f]];
        int[] y = [0, 0, 0, 1, 1, 1];

        // t0 = (0.9 + 0.8 + 0.2) / 3 = 0.633, t1 = (0.9 + 0.7 + 0.55) / 3 = 0.717; row 2 counts at (0, 1), row 5 at neither;
        // C = [[2, 1], [0, 2]] -> calibrated rows [[2, 1], [0, 3]]: one row of label 0 is pruned, the largest p1 - p0
        Assert.Equal([(2, 1)], ConfidentLearning.FindIssues(p, y));
    }

    [Fact]
    public void Stratified_folds_deal_each_label_round_the_folds()
    {
        int[] labels = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2];

        var folds = LinearProbe.Folds(labels, 5, seed: 3);

        foreach (var f in Enumerable.Range(0, 5))
            Assert.InRange(Enumerable.Range(0, labels.Length).Count(i => folds[i] == f), 2, 3);
        Assert.All(new[] { 0, 1 }, label => Assert.Equal(5, Enumerable.Range(0, labels.Length).Where(i => labels[i] == label).Select(i => folds[i]).Distinct().Count()));
        Assert.Equal(folds, LinearProbe.Folds(labels, 5, seed: 3));
    }

    [Fact]
    public void Causal_lm_data_reports_duplicate_prompts_empty_responses_and_responses_cut_by_max_length()
    {
        using var adapter = new TinyLlamaAdapter();
        File.AppendAllText(adapter.Combine("data", "train.jsonl"), "{\"prompt\": \"a cat sat\", \"response\": \"\"}\n");
        // "<s> what is the colour of sky ? blue . </s>" is 11 tokens: a max_length of 10 cuts every response
        var spec = AdapterSpecLoader.Load(adapter.Directory, ["task.max_length=10"]);

        var report = DataCheckRecipe.Run(spec);

        Assert.Equal(4, report.Duplicates.Count);
        Assert.All(report.Duplicates, g => Assert.Equal(("across", 5), (g.Kind, g.Rows.Count)));
        Assert.Equal([new DataRow("train", 17, "a cat sat", null)], report.EmptyResponses);
        Assert.Equal(20, report.TruncatedResponses.Count);
        Assert.DoesNotContain(report.TruncatedResponses, r => r.Line == 17);
        Assert.Equal(["duplicate_prompts found 4", "empty_responses found 1", "truncated_responses found 20"], report.Checks.Select(c => $"{c.Name} {c.Status} {c.Count}"));
    }

    [Fact]
    public void A_bad_row_is_an_input_error_naming_file_and_line()
    {
        using var adapter = Adapter(baseModel: "/nonexistent/base-model");
        File.AppendAllText(Path.Combine(adapter.Path, "test.jsonl"), "{\"text\": \"no label\"}\n");
        var spec = AdapterSpecLoader.Load(adapter.Path);

        var error = Assert.Throws<InputException>(() => DataCheckRecipe.Run(spec));

        Assert.Equal($"{Path.Combine(adapter.Path, "test.jsonl")}:5: label missing (expected {{\"text\": ..., \"label\": ...}})", error.Message);
    }

    [Fact]
    public void Data_json_and_data_md_are_written_together_and_data_json_reads_back()
    {
        using var adapter = Adapter(baseModel: "/nonexistent/base-model");
        var report = DataCheckRecipe.Run(AdapterSpecLoader.Load(adapter.Path));

        DataCheckRecipe.Write(report, Path.Combine(adapter.Path, "out"));

        var json = File.ReadAllText(Path.Combine(adapter.Path, "out", DataReport.FileName));
        Assert.Equal(json, DataReportJson.Serialize(DataReportJson.Parse(json, "data.json")));
        var md = File.ReadAllText(Path.Combine(adapter.Path, "out", DataReport.MarkdownFileName));
        Assert.Contains("| `near_duplicates` | ❔ not run: base model /nonexistent/base\\-model cannot be loaded", md, StringComparison.Ordinal);
        Assert.Contains("- whats the weather in paris: `train:4` What&#39;s the weather in Paris? (`weather`), `test:1`", md, StringComparison.Ordinal);
    }

    private static int Count(DataReport report, string check) => report.Checks.Single(c => c.Name == check).Count;

    private static List<DataRow> ReadRows(TempDirectory adapter, string file, string split) =>
        [.. Data.DataFile.ReadLabeled(Path.Combine(adapter.Path, file), labelRequired: false).Select(r => new DataRow(split, r.Line, r.Text, r.Label))];

    /// <summary>
    /// train.jsonl: 12 weather, 12 food and 12 sport texts, "I love pizza" again, two flipped rows and two travel rows;
    /// validation, test and out-of-scope files with findings placed against them (the comments say which lines).
    /// </summary>
    private static TempDirectory Adapter(string baseModel)
    {
        var dir = new TempDirectory("peftops-data-check");
        static string Row(string text, string? label) => label is null
            ? System.Text.Json.JsonSerializer.Serialize(new { text })
            : System.Text.Json.JsonSerializer.Serialize(new { text, label });
        // lines 1-12 weather, 13-24 food (24: "I love pizza"), 25-36 sport (36: "Who won the match?"),
        // 37 "I love pizza" again, 38 a weather text labelled food, 39 a sport text labelled weather, 40-41 travel
        var train = Weather.Select(t => Row(t, "weather")).Concat(Food.Select(t => Row(t, "food"))).Concat(Sport.Select(t => Row(t, "sport")))
            .Append(Row("I love pizza", "food"))
            .Append(Row("Is it going to hail later this evening?", "food"))
            .Append(Row("Which golfer won the open championship?", "weather"))
            .Append(Row("Book me a train to Leeds", "travel"))
            .Append(Row("Find a cheap flight to Rome", "travel"));
        File.WriteAllLines(Path.Combine(dir.Path, "train.jsonl"), train);
        File.WriteAllLines(Path.Combine(dir.Path, "validation.jsonl"), [Row("Should I wear a coat today?", "weather"), Row("who won the match", "food"), Row("should I wear a coat today", "weather")]);
        File.WriteAllLines(Path.Combine(dir.Path, "test.jsonl"),
        [
            Row("what's the WEATHER in paris", "weather"), Row("Where can I listen to jazz?", "music"),
            Row("How hot will it be on Saturday afternoon in town?", "weather"), Row("What goes well with grilled fish?", "food"),
        ]);
        File.WriteAllLines(Path.Combine(dir.Path, "out_of_scope.jsonl"), [Row("Tell me a joke", null), Row("I LOVE PIZZA!", null)]);
        File.WriteAllText(Path.Combine(dir.Path, "adapter.yaml"), $$$"""
            name: {{{Path.GetFileName(dir.Path)}}}
            base_model: {{{baseModel}}}
            task: {type: sequence-classification, max_length: 32}
            data: {train: train.jsonl, validation: validation.jsonl}
            scope: {out_of_scope: {data: out_of_scope.jsonl, method: oos-class}}
            evaluation:
              target:
                - {name: test, data: test.jsonl}
            gate:
              target: [{metric: test.accuracy, min: 0.5}]
            """);
        return dir;
    }
}
