namespace PeftOps.Configuration;

/// <summary>
/// adapter.yaml's <c>data_checks</c>: what <c>peftops data check</c> looks for, and the gate's rules on what it finds.
/// A <c>max_*</c> rule left unset is reported, never judged.
/// </summary>
public sealed record DataChecksSpec
{
    /// <summary>Evaluation rows whose normalised text is also a training row's.</summary>
    public int? MaxLeakage { get; init; }

    /// <summary>Normalised texts that carry more than one label.</summary>
    public int? MaxConflicts { get; init; }

    /// <summary>Training/evaluation pairs at or above <see cref="NearDuplicateThreshold"/>.</summary>
    public int? MaxNearDuplicates { get; init; }

    /// <summary>Training rows confident learning flags.</summary>
    public int? MaxLabelErrors { get; init; }

    // The settings are null when unset, so a spec without data_checks flattens (and hashes) as before the section existed.

    /// <summary>Cosine at or above which a training and an evaluation row are near duplicates; unset: 0.95.</summary>
    public double? NearDuplicateThreshold { get; init; }

    /// <summary>Training labels with fewer rows are reported; unset: 5.</summary>
    public int? MinLabelCount { get; init; }

    /// <summary>Folds of the label-error probe; unset: 5.</summary>
    public int? Folds { get; init; }

    /// <summary>Seeds the folds and the probe; unset: 17.</summary>
    public int? Seed { get; init; }

    /// <summary>The dtype the base model embeds the texts in: <c>float32</c> or <c>bf16</c>; unset: float32.</summary>
    public string? Dtype { get; init; }

    public double EffectiveNearDuplicateThreshold => NearDuplicateThreshold ?? 0.95;
    public int EffectiveMinLabelCount => MinLabelCount ?? 5;
    public int EffectiveFolds => Folds ?? 5;
    public int EffectiveSeed => Seed ?? 17;
    public string EffectiveDtype => Dtype ?? "float32";

    /// <summary>The rules, as (spec key, data.json check, threshold), in spec order; unset ones left out.</summary>
    public IEnumerable<(string Rule, string Check, int Max)> Rules()
    {
        (string, string, int?)[] all =
        [
            ("max_leakage", "leakage", MaxLeakage), ("max_conflicts", "conflicts", MaxConflicts),
            ("max_near_duplicates", "near_duplicates", MaxNearDuplicates), ("max_label_errors", "label_errors", MaxLabelErrors),
        ];
        return all.Where(r => r.Item3 is not null).Select(r => (r.Item1, r.Item2, r.Item3!.Value));
    }
}
