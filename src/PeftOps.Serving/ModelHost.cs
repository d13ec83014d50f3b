using Microsoft.Extensions.Logging;
using PeftOps.Contracts;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Runtime;
using PeftOps.Peft;
using PeftOps.Registry;
using PeftOps.Inference;

namespace PeftOps.Serving;

/// <summary>
/// The base model, loaded once, and every adapter version loaded on it by name (<see cref="ServingSlot.ModelKey"/>).
/// A classifier's head is part of its adapter (PEFT's modules_to_save), but the base needs a head of the same width,
/// so adapters with another number of labels get a second copy of the base; adapters with as many labels share one.
/// One forward, generation or load runs at a time: switching adapters changes the shared layers. A decoder base (a
/// causal LM) has no head of its own, so every decoder adapter over it shares one copy (<see cref="ModelHost"/>'s
/// generation partial).
/// </summary>
public sealed partial class ModelHost : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, PeftModel> _bases = [];
    private readonly Dictionary<string, PeftModel> _loaded = new(StringComparer.Ordinal);
    private readonly Dictionary<PeftModel, string> _merged = [];
    private readonly ServeOptions _options;
    private readonly ILogger _log;
    private bool _mergeRefused;

    public ModelHost(ServeOptions options, ILogger<ModelHost> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _log = log;
    }

    /// <summary>The base model reference every served adapter was trained on; null until the first load.</summary>
    public BaseModelReference? Base { get; private set; }

    private bool Merges => _options.MergeSingleAdapter && _options.Adapters.Count == 1 && !_mergeRefused;

    /// <summary>
    /// Loads a verified PEFT folder under <paramref name="key"/> beside whatever is loaded; a version already loaded
    /// (a rollback to it) is reused. Refuses an adapter trained on another base model, or on other weights under its name.
    /// </summary>
    /// <returns>True when the base is a decoder, so the version generates text instead of predicting or embedding.</returns>
    public bool Load(string key, string folder, BaseModelReference baseModel, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(baseModel);
        ArgumentNullException.ThrowIfNull(labels);
        lock (_gate)
        {
            if (_loaded.TryGetValue(key, out var loaded))
                return IsDecoder(loaded);
            if (Base is not null && Base.Ref != baseModel.Ref)
                throw new InputException($"{key}: trained on base model {baseModel.Ref}, but this server holds {Base.Ref} (serve it from a server of its own)");
            var peft = BaseFor(baseModel.Ref, labels);
            if (baseModel.Sha256 is { } sha && sha != peft.Base.Source.Sha256)
                throw new InputException($"{key}: trained on {baseModel.Ref} with weights sha256 {sha}, but the weights here have sha256 {peft.Base.Source.Sha256}");
            Unmerge(peft);
            var (_, warnings) = peft.LoadAdapter(folder, key);
            foreach (var warning in warnings)
                _log.LogWarning("{Key}: {Warning}", key, warning);
            _loaded[key] = peft;
            Base ??= baseModel;
            return IsDecoder(peft);
        }
    }

    /// <returns>Per text of <paramref name="texts"/>, in order, from the version <paramref name="key"/>: its class probabilities
    /// and the pooled features a scope may decide from (<see cref="Predictor.Classify"/>).</returns>
    public ClassifierOutput[] Classify(string key, IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        lock (_gate)
            return Predictor.Classify(Activate(key).Base, texts, _options.MaxTokens, batchSize: Math.Max(1, texts.Count));
    }

    /// <returns>[N, H] mean-pooled, L2-normalised embeddings of <paramref name="texts"/>, in order.</returns>
    public float[][] Embeddings(string key, IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        lock (_gate)
            return Predictor.Embeddings(Activate(key).Base, texts, _options.MaxTokens, batchSize: Math.Max(1, texts.Count));
    }

    public void Dispose()
    {
        _turn.Dispose();
        foreach (var peft in _bases.Values)
            peft.Base.Dispose();
    }

    private PeftModel BaseFor(string reference, IReadOnlyList<string> labels)
    {
        if (_bases.TryGetValue(labels.Count, out var peft))
            return peft;
        if (_bases.Count > 0)
            _log.LogWarning("loading a second copy of {Base} for a classifier head of {Count} labels (the loaded copies have {Widths})",
                reference, labels.Count, string.Join(", ", _bases.Keys));
        var model = ModelLoader.Load(reference, new ModelLoadOptions
        {
            ClassLabels = labels.Count > 0 ? labels : null,
            Device = TorchRuntime.ResolveDevice(_options.Device),
            Dtype = BaseDtype.Parse(_options.Dtype),
        });
        peft = new PeftModel(model);
        _bases[labels.Count] = peft;
        return peft;
    }

    /// <summary>Makes <paramref name="key"/> the adapter its base runs, merged into the weights where <see cref="Merges"/>.</summary>
    private PeftModel Activate(string key)
    {
        var peft = _loaded[key];
        var merged = _merged.GetValueOrDefault(peft);
        if (peft.ActiveAdapter == key && (!Merges || merged == key))
            return peft;
        Unmerge(peft);
        peft.SetAdapter(key);
        if (Merges)
        {
            try
            {
                peft.Merge();
                _merged[peft] = key;
            }
            catch (InputException e)
            {
                _mergeRefused = true;
                _log.LogWarning("serving {Key} unmerged: {Reason}", key, e.Message);
            }
        }
        return peft;
    }

    private void Unmerge(PeftModel peft)
    {
        if (_merged.Remove(peft))
            peft.Unmerge();
    }
}
