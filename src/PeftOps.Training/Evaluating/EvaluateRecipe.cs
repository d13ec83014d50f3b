using System.Diagnostics;
using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Evaluation.Metrics;
using PeftOps.Inference;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Runtime;
using PeftOps.Peft;
using PeftOps.Peft.Format;
using PeftOps.Training.Data;
using PeftOps.Training.Scope;
using PeftOps.Training.Trainer;

namespace PeftOps.Training.Evaluating;

/// <summary>
/// Runs every suite of the spec (and extra ones) with the base model and with the adapted model on the
/// same examples, keeping each example's outcome so later comparisons are paired; measures latency
/// (base, adapter unmerged, merged) and writes eval.json with the data hashes and lineage.
/// </summary>
public static class EvaluateRecipe
{
    /// <param name="dtype">The dtype the base is held in (<c>--dtype</c>: float32, the default, or bf16).</param>
    /// <param name="ct">Stops between batches of every suite and the latency rounds (Ctrl+C, SIGTERM).</param>
    /// <param name="labelsFile">One label per line, for an adapter that carries no labels (<see cref="AdapterHead"/>).</param>
    public static EvaluationReport Run(AdapterSpec spec, string adapterDir, IReadOnlyList<SuiteSpec> extraSuites, string? device, string? commit, string? dtype = null,
        string? labelsFile = null, CancellationToken ct = default)
    {
        // --- setup ------------------------------------------------------------------------------
        var adapter = AdapterMetadata.Read(adapterDir);
        var labels = AdapterHead.Labels(adapter, spec.BaseModel, labelsFile);
        var dev = TorchRuntime.ResolveDevice(device);
        using var model = ModelLoader.Load(spec.BaseModel, new ModelLoadOptions
        {
            ClassLabels = labels, Seed = spec.Training.Seed, Device = dev, Dtype = BaseDtype.Parse(dtype),
        });
        var peft = new PeftModel(model);
        peft.LoadAdapter(adapterDir, TrainRecipe.AdapterName);
        var scope = adapter.Scope;
        var maxLength = spec.Task.MaxLength;
        var classified = new ClassifiedTexts(peft, maxLength, featuresOf: adapter.Scope?.Score == ScopeScore.Mahalanobis ? TrainRecipe.AdapterName : null, ct);
        var causal = spec.Task.Type == TaskType.CausalLm;
        var validation = !causal && spec.Data.Validation is { } v ? DataFile.ReadLabeled(spec.Resolve(v)) : null;
        int Rows(SpecDataFiles.File file) => causal
            ? DataFile.ReadCausalLm(spec.Resolve(file.Path)).Count
            : DataFile.ReadLabeled(spec.Resolve(file.Path), file.LabelRequired).Count;

        // --- suites -----------------------------------------------------------------------------
        var suites = new List<SuiteResult>();
        var data = new List<DataFileInfo>();
        foreach (var (suite, role) in spec.Evaluation.Target.Select(s => (s, SuiteRole.Target))
                     .Concat(spec.Evaluation.NonTarget.Select(s => (s, SuiteRole.NonTarget)))
                     .Concat(extraSuites.Select(s => (s, SuiteRole.NonTarget))))
        {
            var path = spec.Resolve(suite.Data);
            var sha = DataFile.Sha256(path);
            var result = suite.Kind switch
            {
                SuiteKind.Classification => Classification(classified, suite, role, path, sha, labels),
                SuiteKind.EmbeddingSimilarity => Similarity(peft, suite, role, path, sha, maxLength, ct),
                SuiteKind.OutOfScope => OutOfScope(classified, spec, suite, role, path, sha, validation, labels, scope),
                SuiteKind.Perplexity when model.Architecture == ModelArchitecture.LlamaCausalLm => Perplexity(peft, suite, role, path, sha, maxLength, ct),
                SuiteKind.MultipleChoice when model.Architecture == ModelArchitecture.LlamaCausalLm => MultipleChoiceSuite.Run(peft, suite, role, path, sha, maxLength, ct),
                SuiteKind.Generation when model.Architecture == ModelArchitecture.LlamaCausalLm => GenerationSuite.Run(peft, suite, role, path, sha, ct),
                _ => throw new InputException($"{spec.SourcePath}: suite '{suite.Name}': {suite.Kind} does not fit the base model ({model.Architecture})"),
            };
            suites.Add(result);
            data.Add(new DataFileInfo(DataRole.Suite, suite.Name, suite.Data, sha, result.Examples.Count));
        }
        data.InsertRange(0, SpecDataFiles.Training(spec).Select(f => new DataFileInfo(f.Role, f.Name, f.Path, DataFile.Sha256(spec.Resolve(f.Path)), Rows(f))));

        // --- latency and report -----------------------------------------------------------------
        var latencyTexts = (suites.FirstOrDefault(s => s.Kind is SuiteKind.Classification or SuiteKind.Perplexity) ?? suites.FirstOrDefault())?
            .Examples.Select(e => e.Text).Take(64).ToList() ?? [];
        return new EvaluationReport
        {
            Adapter = spec.Name,
            CreatedAt = DateTimeOffset.UtcNow,
            BaseModel = new BaseModelInfo(spec.BaseModel, model.Source.Sha256),
            AdapterSha256 = DataFile.Sha256(Path.Combine(adapterDir, PeftFormat.WeightsFileName)),
            SpecSha256 = SpecHash.Compute(spec),
            Spec = SpecText.Flatten(spec),
            Data = data,
            Environment = new EnvironmentInfo(typeof(EvaluateRecipe).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
                TorchRuntime.TorchSharpVersion, TorchRuntime.LibTorchVersion, dev.ToString(), Environment.OSVersion.ToString()),
            Lineage = new LineageInfo(commit),
            Training = ReadTraining(adapterDir),
            Latency = latencyTexts.Count == 0 ? null : Latency(peft, latencyTexts, maxLength, ct),
            ClassLabels = labels.Count == 0 ? null : labels,
            Suites = suites,
        };
    }

    private static SuiteResult Classification(ClassifiedTexts classified, SuiteSpec suite, SuiteRole role, string path, string sha, IReadOnlyList<string> labels)
    {
        var examples = DataFile.ReadLabeled(path);
        LabelSet.CheckKnown(labels, examples, path);
        var texts = examples.Select(e => e.Text).ToList();
        List<(string Label, double P)> Top(string? adapter) =>
            [.. classified.Of(adapter, texts).Select(o => (labels[Predictor.ArgMax(o.Probabilities)], (double)o.Probabilities.Max()))];
        var (basePredictions, adaptedPredictions) = (Top(null), Top(TrainRecipe.AdapterName));
        var gold = examples.Select(e => e.Label).ToList();
        return new SuiteResult
        {
            Name = suite.Name, Kind = suite.Kind, Role = role, DataSha256 = sha, Labels = labels,
            Base = EvalMetrics.Classification(labels, gold, basePredictions.Select(p => p.Label).ToList()),
            Adapted = EvalMetrics.Classification(labels, gold, adaptedPredictions.Select(p => p.Label).ToList()),
            Examples = examples.Select((e, i) => new ExampleResult
            {
                Id = $"{e.Line}", Text = e.Text, Gold = e.Label,
                Base = new Outcome { Prediction = basePredictions[i].Label, Correct = basePredictions[i].Label == e.Label, Score = basePredictions[i].P },
                Adapted = new Outcome { Prediction = adaptedPredictions[i].Label, Correct = adaptedPredictions[i].Label == e.Label, Score = adaptedPredictions[i].P },
            }).ToList(),
        };
    }

    private static SuiteResult Similarity(PeftModel peft, SuiteSpec suite, SuiteRole role, string path, string sha, int maxLength, CancellationToken ct)
    {
        var pairs = DataFile.ReadPairs(path);
        double[] Cosines(string? adapter)
        {
            peft.SetAdapter(adapter);
            var a = Predictor.Embeddings(peft.Base, pairs.Select(p => p.Sentence1).ToList(), maxLength, cancellationToken: ct);
            var b = Predictor.Embeddings(peft.Base, pairs.Select(p => p.Sentence2).ToList(), maxLength, cancellationToken: ct);
            return a.Select((x, i) => (double)x.Zip(b[i], (p, q) => p * q).Sum()).ToArray();
        }
        var (baseCos, adaptedCos) = (Cosines(null), Cosines(TrainRecipe.AdapterName));
        var gold = pairs.Select(p => p.Score).ToList();
        SuiteMetrics Metrics(double[] cos) => new() { Metrics = new Dictionary<string, double> { [MetricNames.Spearman] = EvalMetrics.Spearman(gold, cos) } };
        return new SuiteResult
        {
            Name = suite.Name, Kind = suite.Kind, Role = role, DataSha256 = sha,
            Base = Metrics(baseCos), Adapted = Metrics(adaptedCos),
            Examples = pairs.Select((p, i) => new ExampleResult
            {
                Id = $"{p.Line}", Text = p.Sentence1, Text2 = p.Sentence2, GoldScore = p.Score,
                Base = new Outcome { Score = baseCos[i] }, Adapted = new Outcome { Score = adaptedCos[i] },
            }).ToList(),
        };
    }

    /// <summary>
    /// Off-topic messages, each rejected or accepted by each model; after them the target classification suites'
    /// in-scope messages (gold: their intent, id <c>suite:line</c>), decided the same way, so that out-of-scope precision,
    /// AUROC, FPR at 95% in-scope recall and in-scope accuracy with rejection are measured on the same rows.
    /// The adapted model decides as its adapter's calibrated scope says (<see cref="AdapterScope"/>, as predict does);
    /// without one, and for the base model, a message is rejected when its top probability falls under the suite's fixed
    /// threshold or one calibrated on the in-scope validation messages so that a share <c>quantile</c> of them would be
    /// rejected (1 - scope.out_of_scope.target_in_scope_recall when the spec declares a scope).
    /// </summary>
    private static SuiteResult OutOfScope(
        ClassifiedTexts classified, AdapterSpec spec, SuiteSpec suite, SuiteRole role, string path, string sha, IReadOnlyList<LabeledText>? validation,
        IReadOnlyList<string> labels, AdapterScope? scope)
    {
        var offTopic = DataFile.ReadLabeled(path, labelRequired: false);
        var inScope = spec.Evaluation.Target.Where(s => s.Kind == SuiteKind.Classification)
            .SelectMany(s => DataFile.ReadLabeled(spec.Resolve(s.Data)).Select(e => (Id: $"{s.Name}:{e.Line}", Row: e)))
            .ToList();
        var texts = offTopic.Select(e => e.Text).Concat(inScope.Select(e => e.Row.Text)).ToList();
        var oosLabel = scope?.OosLabel;
        var quantile = spec.Scope?.OutOfScope is { } declared ? 1 - declared.TargetInScopeRecall : suite.Quantile;
        (double Threshold, ScopeRule.Verdict[] Verdicts) Run(string? adapter, AdapterScope? calibrated)
        {
            if (calibrated is not null)
                return (calibrated.Threshold, [.. classified.Of(adapter, texts).Select(ScopeRule.For(labels, calibrated).Decide)]);
            var threshold = suite.Threshold ?? ScopeCalibration.Threshold(
                classified.Of(adapter, [.. validation!.Where(v => v.Label != OutOfScopeSpec.Label && labels.Contains(v.Label)).Select(v => v.Text)]).Select(o => o.Probabilities),
                labels, oosLabel, quantile);
            return (threshold, [.. classified.Of(adapter, texts).Select(o => ScopeRule.Decide(o.Probabilities, labels, oosLabel, threshold))]);
        }
        var (b, a) = (Run(null, null), Run(TrainRecipe.AdapterName, scope));
        var examples = offTopic.Select((e, i) => new ExampleResult
        {
            Id = $"{e.Line}", Text = e.Text,
            Base = new Outcome { Score = b.Verdicts[i].InScopeScore, Correct = b.Verdicts[i].OutOfScope },
            Adapted = new Outcome { Score = a.Verdicts[i].InScopeScore, Correct = a.Verdicts[i].OutOfScope },
        }).Concat(inScope.Select((e, j) => (e, i: offTopic.Count + j)).Select(x => new ExampleResult
        {
            Id = x.e.Id, Text = x.e.Row.Text, Gold = x.e.Row.Label,
            Base = new Outcome { Prediction = b.Verdicts[x.i].Label, Score = b.Verdicts[x.i].InScopeScore, Correct = !b.Verdicts[x.i].OutOfScope },
            Adapted = new Outcome { Prediction = a.Verdicts[x.i].Label, Score = a.Verdicts[x.i].InScopeScore, Correct = !a.Verdicts[x.i].OutOfScope },
        })).ToList();
        SuiteMetrics Metrics(bool adapted) => new()
        {
            Metrics = MetricNames.For(SuiteKind.OutOfScope).Where(m => inScope.Count > 0 || !MetricNames.NeedsInScopeRows(m))
                .ToDictionary(m => m, m => SuiteMetric.Compute(SuiteKind.OutOfScope, m, examples, [.. examples.Select(e => adapted ? e.Adapted : e.Base)]), StringComparer.Ordinal),
        };
        return new SuiteResult
        {
            Name = suite.Name, Kind = suite.Kind, Role = role, DataSha256 = sha, Threshold = new OosThreshold(b.Threshold, a.Threshold),
            Base = Metrics(adapted: false), Adapted = Metrics(adapted: true), Examples = examples,
        };
    }

    /// <summary>
    /// Each text's classifier output per model (the base, or the adapter), computed once however many suites ask:
    /// the target suites' messages are classified for their own metrics and again, beside the off-topic ones, for
    /// out-of-scope detection. One forward pass per text and model, so every suite reads the same numbers. The pooled
    /// features are kept only for <paramref name="featuresOf"/>, the adapter whose scope measures distances on them
    /// (score mahalanobis); the others keep their probabilities alone.
    /// </summary>
    private sealed class ClassifiedTexts(PeftModel peft, int maxLength, string? featuresOf, CancellationToken ct)
    {
        private readonly Dictionary<(string? Adapter, string Text), ClassifierOutput> known = [];

        public ClassifierOutput[] Of(string? adapter, IReadOnlyList<string> texts)
        {
            var missing = texts.Where(t => !known.ContainsKey((adapter, t))).Distinct(StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
            {
                peft.SetAdapter(adapter);
                var outputs = adapter is not null && adapter == featuresOf
                    ? Predictor.Classify(peft.Base, missing, maxLength, cancellationToken: ct)
                    : [.. Predictor.Probabilities(peft.Base, missing, maxLength, cancellationToken: ct).Select(p => new ClassifierOutput(p, []))];
                for (var i = 0; i < missing.Count; i++)
                    known[(adapter, missing[i])] = outputs[i];
            }
            return [.. texts.Select(t => known[(adapter, t)])];
        }
    }

    private const int Rounds = 3;

    /// <summary>
    /// Milliseconds per example for base, adapter unmerged and merged: 3 rounds that time the three in turn (so drift
    /// on a shared machine falls on all three alike), median per setting. No warm-up round: the suites before it ran
    /// every kernel the three use (merging changes weights, not kernels).
    /// </summary>
    private static LatencySummary Latency(PeftModel peft, IReadOnlyList<string> texts, int maxLength, CancellationToken ct)
    {
        var settings = new (string? Adapter, bool Merged)[] { (null, false), (TrainRecipe.AdapterName, false), (TrainRecipe.AdapterName, true) };
        var times = settings.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < Rounds; round++)
        {
            for (var i = 0; i < settings.Length; i++)
            {
                ct.ThrowIfCancellationRequested();
                peft.SetAdapter(settings[i].Adapter);
                if (settings[i].Merged)
                    peft.Merge();
                var sw = Stopwatch.StartNew();
                Forward(peft.Base, texts, maxLength);
                times[i].Add(sw.Elapsed.TotalMilliseconds / texts.Count);
                if (settings[i].Merged)
                    peft.Unmerge();
            }
        }
        var medians = times.Select(t => Math.Round(t.Order().ElementAt(t.Count / 2), 4)).ToArray();
        return new LatencySummary(texts.Count, medians[0], medians[1], medians[2]);
    }

    // One inference pass of the model's task: class probabilities, or next-token log-likelihoods for a decoder.
    private static void Forward(TransformerModel model, IReadOnlyList<string> texts, int maxLength)
    {
        if (model.Architecture == ModelArchitecture.LlamaCausalLm)
            TokenLikelihood.Score(model, texts, maxLength);
        else
            Predictor.Probabilities(model, texts, maxLength);
    }

    /// <summary>Perplexity = exp(total nll / total predicted tokens), per example kept as (nll, tokens) for pairing.</summary>
    private static SuiteResult Perplexity(PeftModel peft, SuiteSpec suite, SuiteRole role, string path, string sha, int maxLength, CancellationToken ct)
    {
        var examples = DataFile.ReadLabeled(path, labelRequired: false);
        var texts = examples.Select(e => e.Text).ToList();
        IReadOnlyList<(double Nll, int Tokens)> Score(string? adapter)
        {
            peft.SetAdapter(adapter);
            return TokenLikelihood.Score(peft.Base, texts, maxLength, cancellationToken: ct);
        }
        var (b, a) = (Score(null), Score(TrainRecipe.AdapterName));
        SuiteMetrics Metrics(IReadOnlyList<(double Nll, int Tokens)> s) => new()
        {
            Metrics = new Dictionary<string, double> { [MetricNames.Perplexity] = EvalMetrics.Perplexity(s.Select(x => x.Nll).ToList(), s.Select(x => x.Tokens).ToList()) },
        };
        return new SuiteResult
        {
            Name = suite.Name, Kind = suite.Kind, Role = role, DataSha256 = sha,
            Base = Metrics(b), Adapted = Metrics(a),
            Examples = examples.Select((e, i) => new ExampleResult
            {
                Id = $"{e.Line}", Text = e.Text,
                Base = new Outcome { Nll = b[i].Nll, Tokens = b[i].Tokens },
                Adapted = new Outcome { Nll = a[i].Nll, Tokens = a[i].Tokens },
            }).ToList(),
        };
    }

    /// <summary>train.json beside the adapter folder (RUN_DIR/train.json), when the adapter came from `peftops train`.</summary>
    private static TrainingSummary? ReadTraining(string adapterDir)
    {
        var path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(adapterDir).TrimEnd('/'))!, TrainRun.FileName);
        if (!File.Exists(path))
            return null;
        var run = TrainRunJson.Read(path);
        return new TrainingSummary(run.Summary, run.Curve);
    }
}
