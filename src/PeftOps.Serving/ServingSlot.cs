using PeftOps.Contracts;
using PeftOps.Inference;

namespace PeftOps.Serving;

/// <summary>
/// One adapter version ready to serve, immutable. A request takes the slot its adapter has when it arrives and is
/// answered by that version, even when a newer slot takes the adapter's place meanwhile.
/// </summary>
/// <param name="ModelKey">The name the version is loaded under in the shared model (<see cref="ModelKeyOf"/>).</param>
/// <param name="Sha256">sha256 of its <c>adapter_model.safetensors</c>, as its manifest records it.</param>
/// <param name="Labels">Class labels in id order; empty for an adapter without a classifier head.</param>
/// <param name="Scope">How the version refuses out-of-scope texts, calibrated when it was trained; null without a scope.</param>
/// <param name="Generates">A decoder adapter: it answers OpenAI's completions, not <c>/predict</c> or <c>/embed</c>.</param>
public sealed record ServingSlot(
    string Adapter,
    string Version,
    string Stage,
    string Sha256,
    DateTimeOffset ServingSince,
    string ModelKey,
    IReadOnlyList<string> Labels,
    AdapterScope? Scope = null,
    bool Generates = false)
{
    private PredictionFormatter? _predictions;

    /// <summary>How the version decides what it answers, built once from <see cref="Labels"/> and <see cref="Scope"/>.</summary>
    public PredictionFormatter Predictions => _predictions ??= new PredictionFormatter(Labels, Scope);

    /// <summary><c>ADAPTER@VERSION</c>, for messages.</summary>
    public string Name => $"{Adapter}@{Version}";

    /// <summary>
    /// <c>ADAPTER_V1_2_0</c>: module names may not hold '.', and neither an adapter name nor a semantic version holds '_',
    /// so no two versions share a key.
    /// </summary>
    public static string ModelKeyOf(string adapter, string version) => $"{adapter}_{version.Replace('.', '_')}";
}
