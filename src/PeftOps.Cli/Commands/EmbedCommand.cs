using PeftOps.Contracts;
using System.Buffers;
using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Runtime;
using PeftOps.Modeling.Tokenization;
using PeftOps.Peft;
using PeftOps.Peft.Format;
using PeftOps.Inference;
using static TorchSharp.torch;

namespace PeftOps.Cli.Commands;

/// <summary>
/// <c>peftops embed --base REF [--adapter PEFT_DIR] --input TEXT_FILE --out OUT.jsonl [--device cpu|cuda]</c>:
/// one line of text in, one line <c>{"text": ..., "embedding": [...]}</c> out; embeddings are mean-pooled over the
/// attention mask and L2-normalised (<see cref="TransformerModel.Embed"/>), texts cut to 256 WordPiece tokens.
/// </summary>
internal static class EmbedCommand
{
    public const int MaxLength = 256;
    public const int BatchSize = 64;

    /// <summary>Texts embedded before their lines are written, so a long file is not held as embeddings all at once.</summary>
    public const int WindowSize = 4096;

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var baseModel = new Option<string>("--base") { Description = "The base model: builtin:all-MiniLM-L6-v2 or a BERT checkpoint folder with vocab.txt.", Required = true };
        var adapter = new Option<string>("--adapter") { Description = $"A PEFT adapter folder ({PeftFormat.ConfigFileName}, {PeftFormat.WeightsFileName})." };
        var input = new Option<string>("--input") { Description = "A UTF-8 text file: one text per line.", Required = true };
        var output = new Option<string>("--out") { Description = "The JSONL file to write: one {\"text\", \"embedding\"} object per input line.", Required = true };
        var device = new Option<string>("--device") { Description = "cpu or cuda (default cpu).", DefaultValueFactory = _ => "cpu" };
        var labels = CommonOptions.Labels();
        var command = new Command("embed", "Write sentence embeddings (mean-pooled, L2-normalised) for each line of a text file.")
        {
            baseModel, adapter, input, output, device, labels,
        };
        command.SetAction((parse, ct) => PeftOpsCli.Guard(() => Run(
            parse.GetValue(baseModel)!, parse.GetValue(adapter), parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(device), parse.GetValue(labels), ct)));
        return command;
    }

    private static int Run(string reference, string? adapterDir, string inputPath, string outputPath, string? deviceName, string? labelsFile, CancellationToken ct)
    {
        var target = ForwardCommand.OutputFile(outputPath, "--out");
        if (!File.Exists(inputPath))
            throw new InputException($"--input {inputPath}: file not found (expected a text file, one text per line)");
        var lines = File.ReadAllLines(inputPath);
        var device = TorchRuntime.ResolveDevice(deviceName);
        // an adapter that saves a classifier loads on a head of its labels (AdapterHead), though embeddings never read it
        var classLabels = adapterDir is null ? [] : AdapterHead.Labels(AdapterMetadata.Read(adapterDir), reference, labelsFile);
        using var model = ModelLoader.Load(reference, new ModelLoadOptions { Device = device, ClassLabels = classLabels });
        if (model.Architecture == ModelArchitecture.LlamaCausalLm)
            throw new InputException($"--base {reference}: embed needs a BERT encoder (this checkpoint is a Llama causal LM)");
        if (model.Tokenizer is null)
            throw new InputException($"{Path.Combine(model.Source.Folder, "vocab.txt")}: not found (embed tokenizes with the checkpoint's WordPiece vocabulary)");
        if (adapterDir is not null)
        {
            var (_, warnings) = new PeftModel(model).LoadAdapter(adapterDir, "default");
            foreach (var warning in warnings)
                Console.Error.WriteLine($"peftops: warning: {warning}");
        }

        // the loop evaluation embeds with: eval mode, no gradients, length-sorted batches
        AtomicFile.Write(target, stream => WriteJsonl(lines, texts => Predictor.Embeddings(model, texts, MaxLength, BatchSize, ct), stream));
        Console.WriteLine($"wrote {outputPath}: {lines.Length} embeddings of {model.Bert!.HiddenSize} dimensions");
        return ExitCodes.Success;
    }

    /// <summary>
    /// One JSON line per text, in order, embedded by <paramref name="embed"/> ([N] texts -> [N, H]) and written
    /// <see cref="WindowSize"/> texts at a time.
    /// </summary>
    internal static void WriteJsonl(IReadOnlyList<string> texts, Func<IReadOnlyList<string>, float[][]> embed, Stream output)
    {
        foreach (var window in texts.Chunk(WindowSize))
            WriteBatch(output, window, embed(window));
    }

    private static void WriteBatch(Stream stream, IReadOnlyList<string> texts, float[][] embeddings)
    {
        var buffer = new ArrayBufferWriter<byte>();
        for (var i = 0; i < texts.Count; i++)
        {
            using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
            {
                writer.WriteStartObject();
                writer.WriteString("text", texts[i]);
                writer.WriteStartArray("embedding");
                foreach (var value in embeddings[i])
                    writer.WriteNumberValue(value);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            buffer.Write("\n"u8);
        }
        stream.Write(buffer.WrittenSpan);
    }
}
