using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Modeling.Checkpoints;
using static TorchSharp.torch;

namespace PeftOps.Training.Data;

/// <summary>
/// Prompt/response pairs for supervised fine-tuning of a causal LM: each row is
/// [bos] prompt response [eos], truncated to max_length, and only the response (and eos) carry labels.
/// Validation scores the mean next-token loss over the responses (lower is better).
/// </summary>
public sealed class CausalLmData : ITrainingData
{
    private readonly AdapterSpec spec;
    private readonly IReadOnlyList<PromptResponse> train;
    private readonly IReadOnlyList<PromptResponse>? validation;

    public CausalLmData(AdapterSpec spec)
    {
        this.spec = spec;
        var trainPath = spec.Resolve(spec.Data.Train);
        train = DataFile.ReadPromptResponse(trainPath);
        var validationPath = spec.Data.Validation is { } v ? spec.Resolve(v) : null;
        validation = validationPath is null ? null : DataFile.ReadPromptResponse(validationPath);
        Lengths = train.Select(e => Math.Min(spec.Task.MaxLength, e.Prompt.Length + e.Response.Length)).ToList();
        DataSha256 = TrainingFiles.Hashes(spec);
    }

    public IReadOnlyList<string> Labels => [];
    public IReadOnlyList<int> Lengths { get; }
    public IReadOnlyDictionary<string, string> DataSha256 { get; }
    public bool HasValidation => validation is not null;
    public (string Name, bool HigherIsBetter) ValidationMetric => ("loss", false);

    public TextBatch Encode(TransformerModel model, IReadOnlyList<int> indices, Device device) =>
        Encode(model, indices.Select(i => train[i]).ToList(), device);

    public double Validate(TransformerModel model)
    {
        var wasTraining = model.Module.training;
        model.Module.eval();
        double sum = 0;
        long tokens = 0;
        using (no_grad())
        {
            foreach (var chunk in validation!.Chunk(spec.Training.BatchSize))
            {
                using var scope = NewDisposeScope();
                using var batch = Encode(model, chunk, model.Device);
                var responseTokens = batch.Labels!.narrow(1, 1, batch.Labels.shape[1] - 1).ne(-100).sum().item<long>();
                sum += model.Loss(model.Logits(batch.InputIds, batch.AttentionMask), batch.Labels, batch.InputIds, batch.AttentionMask).item<float>() * responseTokens;
                tokens += responseTokens;
            }
        }
        model.Module.train(wasTraining);
        return sum / Math.Max(1, tokens);
    }

    private TextBatch Encode(TransformerModel model, IReadOnlyList<PromptResponse> examples, Device device)
    {
        var ids = new List<long[]>();
        var labels = new List<long[]>();
        foreach (var example in examples)
        {
            var (prompt, response) = Tokens(model, spec, example);
            var row = prompt.Concat(response).Take(spec.Task.MaxLength).ToArray();
            ids.Add(row);
            labels.Add(row.Select((id, i) => i < prompt.Length ? -100L : id).ToArray());
        }
        return TextBatch.FromRows(ids, labels, device);
    }

    /// <summary>
    /// A row's two parts as training lays them out, [bos] prompt and response [eos], before the row is cut to
    /// <c>task.max_length</c>: the response is cut when the two together are longer.
    /// </summary>
    public static (long[] Prompt, long[] Response) Tokens(TransformerModel model, AdapterSpec spec, PromptResponse example)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(example);
        var tokenizer = model.DecoderTokenizer ?? throw new InputException($"{spec.SourcePath}: base_model {spec.BaseModel} has no tokenizer.json");
        var (bos, eos) = (model.Llama?.BosTokenId, model.Llama?.EosTokenId);
        long[] prompt = [.. (bos is { } b ? new[] { b } : []), .. tokenizer.Encode(example.Prompt)];
        long[] response = [.. tokenizer.Encode(example.Response), .. (eos is { } e ? new[] { e } : [])];
        return (prompt, response);
    }
}
