using PeftOps.Contracts;


namespace PeftOps.Training.Trainer;

/// <summary>Where training stands; saved with every checkpoint so a killed run resumes where it was.</summary>
public sealed class TrainingState
{
    public int Step { get; set; }
    public int Epoch { get; set; }
    public int BatchInEpoch { get; set; }
    public double? BestMetric { get; set; }
    public int? BestStep { get; set; }
    public int BadEpochs { get; set; }
    public bool Stopped { get; set; }
    public double SecondsBefore { get; set; }
    public List<CurvePoint> Curve { get; set; } = [];
}
