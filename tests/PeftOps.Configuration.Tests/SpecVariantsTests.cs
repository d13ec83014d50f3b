using PeftOps.Contracts;

namespace PeftOps.Configuration.Tests;

public sealed class SpecVariantsTests
{
    private const string Spec = """
        name: x
        data: {train: data/train.jsonl}
        method: {type: lora, r: 8, target_modules: [query, value]}
        compare:
          variants:
            - {name: lora-r4, set: [method.r=4, method.use_rslora=true]}
            - {name: ia3, set: [method.type=ia3]}
        """;

    private static AdapterFolder Folder(string yaml)
    {
        var folder = new AdapterFolder();
        File.WriteAllText(Path.Combine(folder.Directory, AdapterSpecLoader.FileName), yaml);
        return folder;
    }

    [Fact]
    public void The_committed_spec_comes_first_then_the_specs_variants_then_the_command_lines()
    {
        using var folder = Folder(Spec);

        var variants = SpecVariants.Load(folder.Directory, ["last-two=method.layers_to_transform=[0,1],method.target_modules=[query,key]"]);

        Assert.Equal(["committed", "lora-r4", "ia3", "last-two"], variants.Select(v => v.Name));
        Assert.Equal((8, false), (variants[0].Spec.Method.R, variants[0].Spec.Method.UseRsLora));
        Assert.Equal((4, true), (variants[1].Spec.Method.R, variants[1].Spec.Method.UseRsLora));
        Assert.Equal(MethodType.Ia3, variants[2].Spec.Method.Type);
        Assert.Equal(["method.layers_to_transform=[0,1]", "method.target_modules=[query,key]"], variants[3].Set);
        Assert.Equal([0, 1], variants[3].Spec.Method.LayersToTransform);
        Assert.Equal(["query", "key"], variants[3].Spec.Method.TargetModules);
        Assert.All(variants, v => Assert.Empty(v.Spec.Compare.Variants));
    }

    [Fact]
    public void A_variant_that_changes_nothing_hashes_like_the_spec_without_its_compare_section()
    {
        using var folder = Folder(Spec);
        using var plain = Folder(Spec[..Spec.IndexOf("compare:", StringComparison.Ordinal)]);

        var variants = SpecVariants.Load(folder.Directory, ["same=training.epochs=3"]);

        Assert.Equal(SpecHash.Compute(AdapterSpecLoader.Load(plain.Directory)), SpecHash.Compute(variants[0].Spec));
        Assert.Equal(SpecHash.Compute(variants[0].Spec), SpecHash.Compute(variants[^1].Spec));
    }

    [Fact]
    public void Every_bad_variant_is_reported_at_once_naming_the_variant_and_the_key()
    {
        using var folder = Folder(Spec.Replace("method.type=ia3", "method.kind=ia3", StringComparison.Ordinal));
        var file = Path.Combine(folder.Directory, AdapterSpecLoader.FileName);

        var error = Assert.Throws<InputException>(() => SpecVariants.Load(folder.Directory, ["lora-r0=method.r=0", "no-overrides", "ia3=method.r=2"]));

        Assert.Equal(
            $"--variant no-overrides: expected NAME=key=value,key=value with NAME {AdapterName.Meaning} (like lora-r4=method.r=4,method.alpha=8)\n"
            + "variant ia3: --set method.kind: unknown key 'method.kind' (expected one of: type, r, alpha, dropout, use_rslora, init, target_modules, feedforward_modules, modules_to_save, bias, layers_to_transform, rank_pattern, alpha_pattern)\n"
            + "variant lora-r0: --set method.r: method.r must be > 0 (was 0)\n"
            + "--variant ia3: variant ia3 is named twice (or is 'committed', the spec as committed); expected unique names",
            error.Message);
        Assert.DoesNotContain(file, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_variant_entry_without_a_name_is_an_error_of_the_spec()
    {
        using var folder = Folder(Spec.Replace("{name: ia3, set: [method.type=ia3]}", "{set: [method.type=ia3]}", StringComparison.Ordinal));

        var error = Assert.Throws<InputException>(() => SpecVariants.Load(folder.Directory, []));

        Assert.Contains("compare.variants[1].name", error.Message, StringComparison.Ordinal);
    }
}
