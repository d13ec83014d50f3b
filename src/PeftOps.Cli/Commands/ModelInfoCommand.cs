using System.CommandLine;
using System.Globalization;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Runtime;

namespace PeftOps.Cli.Commands;

/// <summary>
/// <c>peftops model info REF</c>: architecture, parameter count, dtype, source, weights sha256, the main config
/// values and where libtorch was loaded from, one <c>key: value</c> per line.
/// </summary>
internal static class ModelInfoCommand
{
    public static Command Create()
    {
        var command = new Command("model", "Inspect base models.");
        var reference = new Argument<string>("REF") { Description = "builtin:all-MiniLM-L6-v2 or a Hugging Face checkpoint folder." };
        var info = new Command("info", "Print a base model's architecture, size, dtype, source, weights sha256 and configuration.") { reference };
        info.SetAction(parse => PeftOpsCli.Guard(() =>
        {
            using var model = ModelLoader.Load(parse.GetValue(reference)!);
            foreach (var (key, value) in Describe(model))
                Console.WriteLine($"{key}: {value}");
            return ExitCodes.Success;
        }));
        command.Subcommands.Add(info);
        command.Subcommands.Add(ModelSynthCommand.Create());
        return command;
    }

    /// <summary>The lines `model info` prints, as (key, value).</summary>
    internal static IEnumerable<(string Key, string Value)> Describe(TransformerModel model)
    {
        var ic = CultureInfo.InvariantCulture;
        yield return ("architecture", model.Architecture switch
        {
            ModelArchitecture.BertEncoder => "BertModel",
            ModelArchitecture.BertSequenceClassifier => "BertForSequenceClassification",
            _ => "LlamaForCausalLM",
        });
        yield return ("parameters", model.ParameterCount.ToString(ic));
        yield return ("dtype", string.Join(", ", model.Module.parameters().Select(p => p.dtype.ToString().ToLowerInvariant()).Distinct()));
        yield return ("source", model.Source.Description);
        yield return ("reference", model.Source.Reference);
        yield return ("folder", model.Source.Folder);
        yield return ("weights_sha256", model.Source.Sha256);
        if (model.Bert is { } b)
        {
            yield return ("vocab_size", b.VocabSize.ToString(ic));
            yield return ("hidden_size", b.HiddenSize.ToString(ic));
            yield return ("num_hidden_layers", b.NumHiddenLayers.ToString(ic));
            yield return ("num_attention_heads", b.NumAttentionHeads.ToString(ic));
            yield return ("intermediate_size", b.IntermediateSize.ToString(ic));
            yield return ("max_position_embeddings", b.MaxPositionEmbeddings.ToString(ic));
            yield return ("hidden_act", b.HiddenAct);
            if (model.Labels.Count > 0)
                yield return ("labels", string.Join(", ", model.Labels));
        }
        if (model.Llama is { } l)
        {
            yield return ("vocab_size", l.VocabSize.ToString(ic));
            yield return ("hidden_size", l.HiddenSize.ToString(ic));
            yield return ("intermediate_size", l.IntermediateSize.ToString(ic));
            yield return ("num_hidden_layers", l.NumHiddenLayers.ToString(ic));
            yield return ("num_attention_heads", l.NumAttentionHeads.ToString(ic));
            yield return ("num_key_value_heads", l.NumKeyValueHeads.ToString(ic));
            yield return ("head_dim", l.HeadDim.ToString(ic));
            yield return ("max_position_embeddings", l.MaxPositionEmbeddings.ToString(ic));
            yield return ("rope_theta", l.RopeTheta.ToString("R", ic));
            yield return ("rms_norm_eps", l.RmsNormEps.ToString("R", ic).Replace("E", "e", StringComparison.Ordinal));
            yield return ("tie_word_embeddings", l.TieWordEmbeddings ? "true" : "false");
        }
        yield return ("tokenizer", model.DecoderTokenizer?.Description
            ?? (model.Tokenizer is not null ? "WordPiece (vocab.txt)" : model.Llama is null ? "none (no vocab.txt)" : "none (no tokenizer.json or tokenizer.model)"));
        yield return ("libtorch", $"{TorchRuntime.Source} (TorchSharp {TorchRuntime.TorchSharpVersion})");
    }
}
