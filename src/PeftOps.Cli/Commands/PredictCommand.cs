using System.Text;
using PeftOps.Contracts;
using System.CommandLine;
using System.Text.Json;
using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Runtime;
using PeftOps.Peft;
using PeftOps.Training;
using PeftOps.Training.Data;
using PeftOps.Training.Scope;

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
        var adapter = new Option<string>("--adapter") { Description = "A classifier adapter trained by peftops train.", Required = true };
        var input = new Option<string>("--input") { Description = "JSONL or CSV with a text column (label optional).", Required = true };
        var output = new Option<string>("--out") { Description = "OUT.jsonl.", Required = true };
        var maxLength = new Option<int>("--max-length") { Description = "Tokens per text.", DefaultValueFactory = _ => 128 };
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N or auto.", DefaultValueFactory = _ => "cpu" };
        var command = new Command("predict", "Classify texts with a base model and an adapter.") { baseRef, adapter, input, output, maxLength, device };
        command.SetAction((parse, ct) => PeftOpsCli.Guard(() =>
        {
            var texts = DataFile.ReadLabeled(parse.GetValue(input)!, labelRequired: false);
            var adapterDir = parse.GetValue(adapter)!;
            var labels = AdapterLabels.Read(adapterDir);
            var scope = AdapterScopes.Read(adapterDir);
            using var model = ModelLoader.Load(parse.GetValue(baseRef)!, new ModelLoadOptions { ClassLabels = labels, Device = TorchRuntime.ResolveDevice(parse.GetValue(device)) });
            new PeftModel(model).LoadAdapter(adapterDir, "default");
            var rows = Predictor.Classify(model, texts.Select(t => t.Text).ToList(), parse.GetValue(maxLength), cancellationToken: ct);
            var rule = ScopeRule.For(labels, scope);
            // An adapter with a scope answers out_of_scope instead of forcing an intent (label null); one without refuses nothing.
            var lines = new StringBuilder();
            for (var i = 0; i < texts.Count; i++)
            {
                var scores = labels.Select((l, j) => (l, j)).ToDictionary(x => x.l, x => Math.Round(rows[i][x.j], 6));
                var verdict = rule.Decide(rows[i]);
                lines.AppendLine(JsonSerializer.Serialize(new
                {
                    text = texts[i].Text, label = verdict.OutOfScope ? null : verdict.Label, scores,
                    out_of_scope = verdict.OutOfScope, oos_score = Math.Round(verdict.OosScore, 6),
                }));
            }
            AtomicFile.WriteAllText(parse.GetValue(output)!, lines.ToString());
            Console.WriteLine($"wrote {texts.Count} predictions to {parse.GetValue(output)}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
