using System.Text;
using PeftOps.Contracts;
using System.CommandLine;
using PeftOps.Inference;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Runtime;
using PeftOps.Peft;
using PeftOps.Training.Data;

namespace PeftOps.Cli.Commands;

/// <summary>
/// <c>peftops predict --base REF --adapter PEFT_DIR --input DATA --out OUT.jsonl</c>: {"text","label","scores","out_of_scope",
/// "oos_score"} per line; an adapter trained with a scope refuses out-of-scope texts (label null), one without refuses none.
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var baseRef = new Option<string>("--base") { Description = "builtin:all-MiniLM-L6-v2 or a checkpoint folder.", Required = true };
        var adapter = new Option<string>("--adapter") { Description = "A classifier adapter: trained by peftops train, or saved by HF PEFT (labels from --labels or the base config's id2label).", Required = true };
        var input = new Option<string>("--input") { Description = "JSONL or CSV with a text column (label optional).", Required = true };
        var output = new Option<string>("--out") { Description = "OUT.jsonl.", Required = true };
        var maxLength = new Option<int>("--max-length") { Description = "Tokens per text.", DefaultValueFactory = _ => 128 };
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N or auto.", DefaultValueFactory = _ => "cpu" };
        var labelsFile = CommonOptions.Labels();
        var command = new Command("predict", "Classify texts with a base model and an adapter.") { baseRef, adapter, input, output, maxLength, device, labelsFile };
        command.SetAction((parse, ct) => PeftOpsCli.Guard(() =>
        {
            var texts = DataFile.ReadLabeled(parse.GetValue(input)!, labelRequired: false);
            var adapterDir = parse.GetValue(adapter)!;
            var metadata = AdapterMetadata.Read(adapterDir);
            var labels = AdapterHead.Labels(metadata, parse.GetValue(baseRef)!, parse.GetValue(labelsFile));
            if (labels.Count == 0)
                throw new InputException($"--adapter {adapterDir}: saves no classifier, so it cannot predict (expected a classifier adapter; embed with peftops embed)");
            using var model = ModelLoader.Load(parse.GetValue(baseRef)!, new ModelLoadOptions { ClassLabels = labels, Device = TorchRuntime.ResolveDevice(parse.GetValue(device)) });
            new PeftModel(model).LoadAdapter(adapterDir, "default");
            var outputs = Predictor.Classify(model, texts.Select(t => t.Text).ToList(), parse.GetValue(maxLength), cancellationToken: ct);
            var predictions = new PredictionFormatter(labels, metadata.Scope);
            var lines = new StringBuilder();
            for (var i = 0; i < texts.Count; i++)
                lines.AppendLine(PredictionFormatter.JsonLine(texts[i].Text, predictions.Format(outputs[i])));
            AtomicFile.WriteAllText(parse.GetValue(output)!, lines.ToString());
            Console.WriteLine($"wrote {texts.Count} predictions to {parse.GetValue(output)}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
