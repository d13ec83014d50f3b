using PeftOps.Modeling.Checkpoints;
using PeftOps.Modeling.Safetensors;
using PeftOps.TestSupport;
using static TorchSharp.torch;

namespace PeftOps.Peft.Tests.Generating;

/// <summary>
/// A generation fixture of tests/data/hf-peft-decoders (see its README): the base decoder, its PEFT LoRA adapter and
/// what transformers 4.46.3's greedy <c>generate</c> gave with the adapter on and off (<c>generate.safetensors</c>).
/// </summary>
internal sealed class DecoderCase : IDisposable
{
    public static TheoryData<string> Names => ["qwen2-lora", "mistral-lora", "llama-lora"];

    private DecoderCase(string name, TransformerModel model, PeftModel peft, Dictionary<string, Tensor> generated)
    {
        Name = name;
        Model = model;
        Peft = peft;
        Generated = generated;
    }

    public string Name { get; }
    public TransformerModel Model { get; }
    public PeftModel Peft { get; }
    public Dictionary<string, Tensor> Generated { get; }

    /// <summary>The base checkpoint folder of a case (llama-lora's lives in tests/data/hf-peft).</summary>
    public static string BaseFolder(string name) => name switch
    {
        "qwen2-lora" => Path.Combine(TestPaths.HfPeftDecoderFixtures, "tiny-qwen2"),
        "mistral-lora" => Path.Combine(TestPaths.HfPeftDecoderFixtures, "tiny-mistral"),
        "llama-lora" => Path.Combine(TestPaths.HfPeftFixtures, "tiny-llama"),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    public static string AdapterFolder(string name) =>
        name == "llama-lora" ? Path.Combine(TestPaths.HfPeftFixtures, "llama-lora") : Path.Combine(TestPaths.HfPeftDecoderFixtures, name);

    /// <summary>
    /// Loads the case with its adapter active; <paramref name="baseFolder"/> replaces the base checkpoint folder,
    /// <paramref name="dtype"/> is the dtype the base is held in (float32 unless given).
    /// </summary>
    public static DecoderCase Load(string name, string? baseFolder = null, ScalarType dtype = ScalarType.Float32)
    {
        var model = ModelLoader.Load(baseFolder ?? BaseFolder(name), new ModelLoadOptions { Dtype = dtype });
        var peft = new PeftModel(model);
        peft.LoadAdapter(AdapterFolder(name), "default");
        return new DecoderCase(name, model, peft, SafetensorsTorch.Load(Path.Combine(TestPaths.HfPeftDecoderFixtures, name, "generate.safetensors")));
    }

    /// <summary>"adapter" runs with the adapter, "base" with it disabled (PEFT's <c>disable_adapter()</c>).</summary>
    public void Use(string which) => Peft.SetAdapter(which == "adapter" ? "default" : null);

    public int[] Prompt(int i) => Ids(Generated[$"prompt.{i}"][0]);

    /// <summary>The rows of the fixture's left-padded batch, padding dropped.</summary>
    public int[][] BatchPrompts()
    {
        var ids = Generated["batch.input_ids"];
        var mask = Generated["batch.attention_mask"];
        return [.. Enumerable.Range(0, (int)ids.shape[0]).Select(r => Ids(ids[r].masked_select(mask[r].eq(1))))];
    }

    public static int[] Ids(Tensor t) => [.. t.data<long>().ToArray().Select(v => (int)v)];

    public void Dispose()
    {
        Model.Dispose();
        foreach (var t in Generated.Values)
            t.Dispose();
    }
}
