using PeftOps.Configuration;
using PeftOps.Contracts;
using PeftOps.Modeling.Chat;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Runtime;
using static TorchSharp.torch;

namespace PeftOps.Training.Data;

/// <summary>
/// Supervised fine-tuning data for a causal LM, each file in one of two formats (chosen by its rows' keys):
/// prompt/response pairs, each row [bos] prompt response [eos] truncated to max_length with labels on the response
/// (and eos) only; or chat conversations (<c>messages</c>), rendered with the base checkpoint's chat template and
/// labelled on the assistant turns only (<see cref="ChatExamples"/>). Validation scores the mean next-token loss over
/// the labelled tokens (lower is better).
/// </summary>
public sealed class CausalLmData : ITrainingData
{
    private readonly AdapterSpec spec;
    private readonly IReadOnlyList<CausalLmRow> train;
    private readonly IReadOnlyList<CausalLmRow>? validation;
    private (ChatTemplate Template, Modeling.Tokenization.IDecoderTokenizer Tokenizer)? chat;

    public CausalLmData(AdapterSpec spec)
    {
        this.spec = spec;
        train = Read(spec.Resolve(spec.Data.Train));
        validation = spec.Data.Validation is { } v ? Read(spec.Resolve(v)) : null;
        Lengths = train.Select(e => e.Ids?.Length ?? Math.Min(spec.Task.MaxLength, e.Pair!.Prompt.Length + e.Pair.Response.Length)).ToList();
        DataSha256 = TrainingFiles.Hashes(spec);
    }

    public IReadOnlyList<string> Labels => [];
    public IReadOnlyList<int> Lengths { get; }
    public IReadOnlyDictionary<string, string> DataSha256 { get; }
    public bool HasValidation => validation is not null;
    public (string Name, bool HigherIsBetter) ValidationMetric => ("loss", false);

    public TextBatch Encode(TransformerModel model, IReadOnlyList<int> indices, Device device) =>
        Encode(model, indices.Select(i => train[i]).ToList(), device);

    public double Validate(TransformerModel model, CancellationToken cancellationToken = default)
    {
        var wasTraining = model.Module.training;
        model.Module.eval();
        double sum = 0;
        long tokens = 0;
        using (no_grad())
        {
            foreach (var chunk in validation!.Chunk(spec.Training.BatchSize))
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                using var batch = Encode(model, chunk, model.Device);
                var responseTokens = batch.Labels!.narrow(1, 1, batch.Labels.shape[1] - 1).ne(HeldScalars.Of(-100L)).sum().item<long>();
                sum += model.Loss(model.Logits(batch.InputIds, batch.AttentionMask), batch.Labels, batch.InputIds, batch.AttentionMask).item<float>() * responseTokens;
                tokens += responseTokens;
            }
        }
        model.Module.train(wasTraining);
        return sum / Math.Max(1, tokens);
    }

    private IReadOnlyList<CausalLmRow> Read(string path)
    {
        var file = DataFile.ReadCausalLm(path);
        if (file.Pairs is { } pairs)
            return pairs.Select(p => new CausalLmRow(p, null, null, p.Line)).ToList();
        var (template, tokenizer) = chat ??= ChatOf(path);
        return ChatExamples.Encode(path, file.Conversations!, template, tokenizer, spec.Task.MaxLength);
    }

    /// <summary>The base checkpoint's chat template and tokenizer, read without loading its weights.</summary>
    private (ChatTemplate, Modeling.Tokenization.IDecoderTokenizer) ChatOf(string path)
    {
        var folder = ModelLoader.Resolve(spec.BaseModel).Folder;
        var template = ChatTemplate.FromCheckpoint(folder)
            ?? throw new InputException($"{path}: chat rows ({{\"messages\": ...}}) are rendered with the base model's chat template, and base_model {spec.BaseModel} has none (no chat_template in {Path.Combine(folder, "tokenizer_config.json")}); use prompt/response rows or a checkpoint with a chat template");
        var tokenizer = ModelLoader.LoadDecoderTokenizer(folder)
            ?? throw new InputException($"{spec.SourcePath}: base_model {spec.BaseModel} has no tokenizer.json or tokenizer.model");
        return (template, tokenizer);
    }

    private TextBatch Encode(TransformerModel model, IReadOnlyList<CausalLmRow> examples, Device device)
    {
        var ids = new List<long[]>();
        var labels = new List<long[]>();
        foreach (var example in examples)
        {
            if (example.Pair is not { } pair)
            {
                ids.Add(example.Ids!);
                labels.Add(example.Labels!);
                continue;
            }
            var (prompt, response) = Tokens(model, spec, pair);
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
