using PeftOps.Contracts;
using System.CommandLine;
using System.Globalization;
using PeftOps.Inference;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Runtime;
using PeftOps.Modeling.Safetensors;
using PeftOps.Peft;
using PeftOps.Peft.Format;
using static TorchSharp.torch;

namespace PeftOps.Cli.Commands;

/// <summary>
/// <c>peftops forward --base REF [--adapter PEFT_DIR] [--merge] --inputs IO.safetensors --out OUT.safetensors [--device cpu|cuda] [--dtype float32|bf16]</c>:
/// runs the (adapted) model once on fixed inputs and writes <c>logits</c> and, where there is one, <c>loss</c> (shape [1]),
/// both float32 (a bf16 base's logits are widened, so files from either dtype compare directly).
/// </summary>
internal static class ForwardCommand
{
    public static Command Create()
    {
        var baseModel = new Option<string>("--base") { Description = "The base model: builtin:all-MiniLM-L6-v2 or a Hugging Face checkpoint folder.", Required = true };
        var adapter = new Option<string>("--adapter") { Description = $"A PEFT adapter folder ({PeftFormat.ConfigFileName}, {PeftFormat.WeightsFileName})." };
        var merge = new Option<bool>("--merge") { Description = "Fold the adapter into the base weights before running." };
        var inputs = new Option<string>("--inputs")
        {
            Description = "A safetensors file with input_ids [batch, tokens], attention_mask [batch, tokens] and optionally labels " +
                "(classifier: [batch]; causal LM: [batch, tokens], -100 ignored).",
            Required = true,
        };
        var output = new Option<string>("--out") { Description = "The safetensors file to write: logits, and loss where there is one.", Required = true };
        var device = new Option<string>("--device") { Description = "cpu or cuda (default cpu).", DefaultValueFactory = _ => "cpu" };
        var dtype = CommonOptions.Dtype();
        var labels = CommonOptions.Labels();
        var command = new Command("forward", "Run a base model, optionally with a PEFT adapter, on fixed inputs; write logits and loss.")
        {
            baseModel, adapter, merge, inputs, output, device, dtype, labels,
        };
        command.SetAction((parse, ct) => PeftOpsCli.Guard(() => Run(
            parse.GetValue(baseModel)!, parse.GetValue(adapter), parse.GetValue(merge), parse.GetValue(inputs)!, parse.GetValue(output)!, parse.GetValue(device), parse.GetValue(dtype),
            parse.GetValue(labels), ct)));
        return command;
    }

    private static int Run(string reference, string? adapterDir, bool merge, string inputsPath, string outputPath, string? deviceName, string? dtypeName,
        string? labelsFile, CancellationToken ct)
    {
        if (merge && adapterDir is null)
            throw new InputException("--merge: there is no adapter to merge (pass --adapter PEFT_DIR)");
        if (labelsFile is not null && adapterDir is null)
            throw new InputException($"--labels {labelsFile}: there is no adapter to name the classes of (pass --adapter PEFT_DIR)");
        var target = OutputFile(outputPath, "--out");
        var device = TorchRuntime.ResolveDevice(deviceName);
        var dtype = BaseDtype.Parse(dtypeName);
        var io = SafetensorsTorch.Load(inputsPath);
        // the head is the adapter's where it saves one, as predict, evaluate and serve run it
        var classLabels = adapterDir is null ? [] : AdapterHead.Labels(AdapterMetadata.Read(adapterDir), reference, labelsFile);
        using var model = ModelLoader.Load(reference, new ModelLoadOptions { Device = device, Dtype = dtype, ClassLabels = classLabels });
        var (ids, mask, labels) = Inputs(io, inputsPath, model);
        if (adapterDir is not null)
        {
            var peft = new PeftModel(model);
            var (_, warnings) = peft.LoadAdapter(adapterDir, "default");
            foreach (var warning in warnings)
                Console.Error.WriteLine($"peftops: warning: {warning}");
            if (merge)
                peft.Merge();
        }

        // one forward pass over every input: the token is looked at before it and before the output is written
        ct.ThrowIfCancellationRequested();
        // inference: eval mode, so LoRA dropout and every other dropout are off
        model.Module.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        ids = ids.to(device);
        mask = mask.to(device);
        var logits = model.Logits(ids, mask);
        var tensors = new List<(string, Tensor)> { ("logits", logits.to(ScalarType.Float32).cpu().contiguous()) };
        Tensor? loss = null;
        if (labels is not null || model.Architecture == ModelArchitecture.LlamaCausalLm)
        {
            loss = model.Loss(logits, labels?.to(device), ids, mask).reshape(1).cpu();
            tensors.Add(("loss", loss));
        }
        ct.ThrowIfCancellationRequested();
        SafetensorsTorch.Save(target, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        var lossText = loss is null ? "" : string.Create(CultureInfo.InvariantCulture, $", loss {loss.item<float>():R}");
        Console.WriteLine($"wrote {outputPath}: logits [{string.Join(", ", logits.shape)}]{lossText}");
        return ExitCodes.Success;
    }

    /// <summary>input_ids and attention_mask as int64 [B, T] with ids inside the vocabulary; labels as the model needs them.</summary>
    private static (Tensor Ids, Tensor Mask, Tensor? Labels) Inputs(Dictionary<string, Tensor> io, string path, TransformerModel model)
    {
        var ids = Integer(io, "input_ids", path) ?? throw new InputException($"{path}: tensor 'input_ids' is missing (expected integers [batch, tokens])");
        if (ids.dim() != 2 || ids.shape[1] == 0)
            throw new InputException($"{path}: tensor 'input_ids' has shape [{string.Join(", ", ids.shape)}] (expected [batch, tokens])");
        var vocab = model.Bert?.VocabSize ?? model.Llama!.VocabSize;
        var (min, max) = (ids.min().item<long>(), ids.max().item<long>());
        if (min < 0 || max >= vocab)
            throw new InputException($"{path}: tensor 'input_ids' holds ids from {min} to {max} (expected 0 to {vocab - 1}, the model's vocabulary)");
        var mask = Integer(io, "attention_mask", path) ?? throw new InputException($"{path}: tensor 'attention_mask' is missing (expected integers [batch, tokens], 1 for tokens and 0 for padding)");
        if (!mask.shape.SequenceEqual(ids.shape))
            throw new InputException($"{path}: tensor 'attention_mask' has shape [{string.Join(", ", mask.shape)}] but input_ids has [{string.Join(", ", ids.shape)}]");
        // A one-label classifier is a regression (MSE on float targets), as in transformers.
        var regression = model.Architecture == ModelArchitecture.BertSequenceClassifier && model.Labels.Count == 1;
        var labels = regression ? io.GetValueOrDefault("labels")?.to(ScalarType.Float32) : Integer(io, "labels", path);
        if (labels is null)
            return (ids, mask, null);
        long[] expected = model.Architecture switch
        {
            ModelArchitecture.BertSequenceClassifier => [ids.shape[0]],
            ModelArchitecture.LlamaCausalLm => ids.shape,
            _ => throw new InputException($"{path}: tensor 'labels' given, but {model.Source.Reference} is a bare encoder with no loss (expected no labels)"),
        };
        if (!labels.shape.SequenceEqual(expected))
            throw new InputException($"{path}: tensor 'labels' has shape [{string.Join(", ", labels.shape)}] (expected [{string.Join(", ", expected)}] for {model.Architecture})");
        if (model.Architecture == ModelArchitecture.BertSequenceClassifier && !regression)
        {
            var (lo, hi) = (labels.min().item<long>(), labels.max().item<long>());
            if (lo < 0 || hi >= model.Labels.Count)
                throw new InputException($"{path}: tensor 'labels' holds classes from {lo} to {hi} (expected 0 to {model.Labels.Count - 1})");
        }
        return (ids, mask, labels);
    }

    /// <summary>The full path of an output file whose folder exists; checked before any work.</summary>
    internal static string OutputFile(string path, string option)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new InputException($"{option} '{path}': empty (expected a file path)");
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new InputException($"{option} {path}: is a folder (expected a file path)");
        if (Path.GetDirectoryName(full) is { } folder && !Directory.Exists(folder))
            throw new InputException($"{option} {path}: folder {folder} does not exist");
        return full;
    }

    private static Tensor? Integer(Dictionary<string, Tensor> io, string key, string path)
    {
        if (!io.TryGetValue(key, out var t))
            return null;
        if (t.is_floating_point() || t.dtype == ScalarType.Bool)
            throw new InputException($"{path}: tensor '{key}' has dtype {t.dtype} (expected an integer type, e.g. int64)");
        return t.to(ScalarType.Int64);
    }
}
