using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Evaluation.Reporting;
using PeftOps.Modeling.Chat;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Training.Data;
using TorchSharp;
using static TorchSharp.torch;
using PeftOps.Inference;

namespace PeftOps.Training.DataChecks;

/// <summary>
/// <c>peftops data check</c>: reads every data file the spec names, runs the checks and writes <c>data.json</c> and
/// <c>data.md</c>. The checks that need the base model (near duplicates, label errors; for causal-lm, responses cut
/// by max_length) are recorded as <c>not-run</c> with the reason when it cannot be loaded, never as passed.
/// </summary>
public static class DataCheckRecipe
{
    /// <param name="baseline">the baseline version's data (read from its commit): the report then carries the data diff.</param>
    /// <param name="log">receives one line per step that takes time (loading the model, embedding, the probe), with its seconds.</param>
    /// <param name="cancellationToken">stops between embedding batches and between the probe's folds.</param>
    public static DataReport Run(AdapterSpec spec, Device? device = null, BaselineData? baseline = null, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Task.Type == TaskType.CausalLm
            ? CausalLm(spec, device) with
            {
                Diff = baseline is null ? null : new DataDiff(baseline.Version, baseline.Commit, DataDiff.NotRun, "the data diff covers classifier data (texts and labels)", []),
            }
            : Classifier(spec, device, baseline, log ?? (_ => { }), cancellationToken);
    }

    /// <summary>Writes data.json and data.md into <paramref name="outDir"/> together (an error leaves neither half-written).</summary>
    public static void Write(DataReport report, string outDir)
    {
        ArgumentNullException.ThrowIfNull(report);
        AtomicFile.WriteDirectory(outDir, temp =>
        {
            DataReportJson.Write(Path.Combine(temp, DataReport.FileName), report);
            File.WriteAllText(Path.Combine(temp, DataReport.MarkdownFileName), DataRenderer.Render(report));
        }, ExistingFolder.ReplaceFiles);
    }

    private static DataReport Classifier(AdapterSpec spec, Device? device, BaselineData? baseline, Action<string> log, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string Seconds() => $"{clock.Elapsed.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} s";
        var settings = Settings(spec);
        var splits = CheckedSplit.Read(spec);
        var exact = ExactChecks.Run(splits, spec.Scope?.InScopeLabels ?? [], settings.MinLabelCount);

        IReadOnlyList<NearDuplicate> near = [];
        IReadOnlyList<LabelIssue> issues = [];
        var (model, notRun) = LoadEncoder(spec, device, settings.Dtype);
        log($"read {splits.Sum(s => s.Rows.Count)} rows and loaded the base model: {Seconds()}");
        string? issuesNotRun = notRun;
        using (model)
        {
            if (model is not null)
            {
                var trainRows = splits.Where(s => s.Role == CheckedSplit.Train).SelectMany(s => s.Rows.Select(s.Row)).ToList();
                var evalRows = splits.Where(s => s.Role == CheckedSplit.Evaluation).SelectMany(s => s.Rows.Select(s.Row)).ToList();
                clock.Restart();
                var embeddings = Embed(model, [.. trainRows.Concat(evalRows).Select(r => r.Text)], spec.Task.MaxLength, cancellationToken);
                log($"embedded {embeddings.Count} distinct texts: {Seconds()}");
                clock.Restart();
                near = NearDuplicates.Find(trainRows, [.. trainRows.Select(r => embeddings[r.Text])], evalRows, [.. evalRows.Select(r => embeddings[r.Text])], settings.NearDuplicateThreshold);
                log($"near duplicates: {Seconds()}");
                clock.Restart();
                (issues, issuesNotRun) = LabelErrors(splits.First(s => s.Name == CheckedSplit.Train), embeddings, settings, cancellationToken);
                log($"label errors ({settings.Folds}-fold probe, confident learning): {Seconds()}");
            }
        }

        var exactDuplicateGroups = exact.Duplicates.Where(g => g.Kind != ExactChecks.Leakage).ToList();
        return new DataReport
        {
            Adapter = spec.Name,
            Task = "sequence-classification",
            BaseModel = spec.BaseModel,
            Settings = settings,
            Splits = [.. splits.Select(s => s.Describe())],
            Checks =
            [
                Check("leakage", exact.LeakedRows),
                Check("conflicts", exact.Conflicts.Count),
                Check("exact_duplicates", exactDuplicateGroups.Count),
                Check("near_duplicates", near.Count, notRun),
                Check("label_errors", issues.Count, issuesNotRun),
                Check("scope_overlap", exact.ScopeOverlap.Count),
                Check("unseen_labels", exact.UnseenLabels.Count),
                Check("rare_labels", exact.RareLabels.Count),
            ],
            Duplicates = exact.Duplicates,
            Conflicts = exact.Conflicts,
            ScopeOverlap = exact.ScopeOverlap,
            RareLabels = exact.RareLabels,
            UnseenLabels = exact.UnseenLabels,
            Imbalance = exact.Imbalance,
            NearDuplicates = near,
            LabelErrors = issues,
            Diff = baseline is null ? null : DataDiffer.Diff(splits, baseline),
        };
    }

    /// <summary>Confident learning on the training file's rows, from a k-fold probe's out-of-fold probabilities.</summary>
    private static (IReadOnlyList<LabelIssue>, string?) LabelErrors(CheckedSplit train, IReadOnlyDictionary<string, float[]> embeddings, DataCheckSettings settings, CancellationToken cancellationToken)
    {
        var labels = train.Rows.Select(r => r.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (labels.Count < 2)
            return ([], $"the training data has {labels.Count} label (confident learning needs at least 2)");
        if (train.Rows.Count < settings.Folds)
            return ([], $"the training data has {train.Rows.Count} rows, fewer than data_checks.folds {settings.Folds}");
        var ids = labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i, StringComparer.Ordinal);
        var y = train.Rows.Select(r => ids[r.Label]).ToArray();
        var probabilities = LinearProbe.OutOfFold([.. train.Rows.Select(r => embeddings[r.Text])], y, labels.Count, settings.Folds, settings.Seed, cancellationToken);
        return ([.. ConfidentLearning.FindIssues(probabilities, y).Select(f => new LabelIssue(
            train.Row(train.Rows[f.Row]), labels[f.Suggested], Math.Round(probabilities[f.Row][f.Suggested], 4), Math.Round(probabilities[f.Row][y[f.Row]], 4)))], null);
    }

    private static PromptResponse AsPair(ChatConversation conversation)
    {
        var last = conversation.Messages.Select((m, i) => (m, i)).LastOrDefault(x => x.m.Role == "assistant");
        var before = conversation.Messages.Take(last.m is null ? conversation.Messages.Count : last.i);
        return new PromptResponse(string.Join("\n", before.Select(m => $"{m.Role}: {m.Content}")), last.m?.Content ?? "", conversation.Line);
    }

    private static DataReport CausalLm(AdapterSpec spec, Device? device)
    {
        var settings = Settings(spec);
        var files = SpecDataFiles.Training(spec);
        var parsed = files.Select(f => (File: f, Data: DataFile.ReadCausalLm(spec.Resolve(f.Path), allowEmptyResponse: true))).ToList();
        // a chat conversation is checked as its last assistant turn (the response) after everything before it (the prompt)
        var read = parsed.Select(f => (f.File, Rows: f.Data.Pairs ?? [.. f.Data.Conversations!.Select(AsPair)])).ToList();
        DataRow Row(string split, PromptResponse r) => new(split, r.Line, r.Prompt, null);

        var duplicates = read.SelectMany(f => f.Rows.Select(r => (f.File.Name, Row: r)))
            .GroupBy(r => TextKey.Of(r.Row.Prompt), StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => new RowGroup(g.Select(r => r.Name).Distinct(StringComparer.Ordinal).Count() > 1 ? ExactChecks.Across : ExactChecks.Within, g.Key, [.. g.Select(r => Row(r.Name, r.Row))]))
            .ToList();
        var empty = read.SelectMany(f => f.Rows.Where(r => string.IsNullOrWhiteSpace(r.Response)).Select(r => Row(f.File.Name, r))).ToList();

        string? notRun = null;
        var truncated = new List<DataRow>();
        try
        {
            using var model = ModelLoader.Load(spec.BaseModel, new ModelLoadOptions { Device = device });
            if (model.DecoderTokenizer is null)
                notRun = $"base model {spec.BaseModel} has no tokenizer.json or tokenizer.model";
            else
            {
                var template = ChatTemplate.ForModel(model);
                foreach (var ((file, data), (_, rows)) in parsed.Zip(read))
                {
                    for (var i = 0; i < rows.Count; i++)
                    {
                        // chat: the tokens of the whole rendered conversation (train refuses one over max_length, never cuts it)
                        var length = data.Conversations is { } conversations
                            ? template is null ? 0 : ChatTokens.Encode(model.DecoderTokenizer, template.RenderForTraining(conversations[i].Messages)).Ids.Length
                            : CausalLmData.Tokens(model, spec, rows[i]) is var (prompt, response) ? prompt.Length + response.Length : 0;
                        if (length > spec.Task.MaxLength)
                            truncated.Add(Row(file.Name, rows[i]));
                    }
                }
            }
        }
        catch (Exception e) when (e is InputException or InfrastructureException or IOException)
        {
            notRun = $"base model {spec.BaseModel} cannot be loaded: {e.Message}";
        }

        return new DataReport
        {
            Adapter = spec.Name,
            Task = "causal-lm",
            BaseModel = spec.BaseModel,
            Settings = settings,
            Splits = [.. read.Select(f => new DataSplit(f.File.Name, f.File.Role == DataRole.Train ? CheckedSplit.Train : CheckedSplit.Validation,
                f.File.Path, DataFile.Sha256(spec.Resolve(f.File.Path)), f.Rows.Count, new Dictionary<string, int>()))],
            Checks =
            [
                Check("duplicate_prompts", duplicates.Count),
                Check("empty_responses", empty.Count),
                Check("truncated_responses", truncated.Count, notRun),
            ],
            Duplicates = duplicates,
            EmptyResponses = empty,
            TruncatedResponses = truncated,
        };
    }

    private static DataCheckSettings Settings(AdapterSpec spec) => new(
        spec.DataChecks.EffectiveNearDuplicateThreshold, spec.DataChecks.EffectiveMinLabelCount, spec.DataChecks.EffectiveFolds, spec.DataChecks.EffectiveSeed,
        ConfidentLearning.Method, spec.DataChecks.EffectiveDtype);

    private static DataCheckSummary Check(string name, int count, string? notRun = null) =>
        notRun is not null ? new(name, DataCheckSummary.NotRun, 0, notRun)
        : new(name, count > 0 ? DataCheckSummary.Found : DataCheckSummary.Pass, count, null);

    /// <summary>The base model as an encoder with a WordPiece vocabulary, or why the checks that need it cannot run.</summary>
    private static (TransformerModel? Model, string? NotRun) LoadEncoder(AdapterSpec spec, Device? device, string dtype)
    {
        TransformerModel model;
        try
        {
            model = ModelLoader.Load(spec.BaseModel, new ModelLoadOptions { Device = device });
        }
        catch (Exception e) when (e is InputException or InfrastructureException or IOException)
        {
            return (null, $"base model {spec.BaseModel} cannot be loaded: {e.Message}");
        }
        if (model.Bert is null || model.Tokenizer is null)
        {
            model.Dispose();
            return (null, $"base model {spec.BaseModel} is not a BERT encoder with vocab.txt (sentence embeddings need one)");
        }
        if (BaseDtype.Parse(dtype, "data_checks.dtype") is var lower and not ScalarType.Float32)
        {
            // a frozen encoder that only embeds: its weights in the lower dtype; Embed returns float32 rows
            try
            {
                BaseDtype.EnsureSupported(lower, model.Device, "data_checks.dtype", spec.Locate("data_checks.dtype"));
            }
            catch (InputException)
            {
                model.Dispose();
                throw;
            }
            model.Module.to(lower);
        }
        return (model, null);
    }

    /// <summary>Each distinct text's mean-pooled, L2-normalised base-model embedding (<see cref="Predictor.Embeddings(TransformerModel, IReadOnlyList{string}, int, int, CancellationToken)"/>).</summary>
    private static Dictionary<string, float[]> Embed(TransformerModel model, IReadOnlyList<string> texts, int maxLength, CancellationToken cancellationToken)
    {
        var distinct = texts.Distinct(StringComparer.Ordinal).ToList();
        var vectors = Predictor.Embeddings(model, distinct, maxLength, cancellationToken: cancellationToken);
        return distinct.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => vectors[x.i], StringComparer.Ordinal);
    }
}
