using PeftOps.Contracts;

namespace PeftOps.Configuration;

/// <summary>
/// Checks that span keys (names against folders and suites, files on disk, which rule fields make sense),
/// run after every key has been read. Values already reported as wrong (left empty) are not checked again.
/// </summary>
internal static class SpecRules
{
    public static void Check(AdapterSpec spec, string directory, SpecReadContext context)
    {
        CheckName(spec, directory, context);
        CheckFiles(spec, directory, context);
        CheckSuites(spec, context);
        CheckScope(spec, context);
        CheckRules("target", spec.Gate.Target, spec.Evaluation.Target, context);
        CheckRules("non_target", spec.Gate.NonTarget, spec.Evaluation.NonTarget, context);
        if (spec.Training.EarlyStopping is not null && spec.Data.Validation is null)
            context.Error("training.early_stopping", "training.early_stopping needs data.validation (was not set)");
        CheckIa3(spec, context);
        if (spec.Training.PreserveEmbeddings is not null && spec.Task.Type == TaskType.CausalLm)
            context.Error("training.preserve_embeddings", "training.preserve_embeddings applies only to task.type sequence-classification, whose encoder makes sentence embeddings (was causal-lm)");
    }

    /// <summary>PEFT's IA3 config has no layer selection, per-module patterns or bias training: an adapter trained with them could not say so in its own files.</summary>
    private static void CheckIa3(AdapterSpec spec, SpecReadContext context)
    {
        if (spec.Method.Type != MethodType.Ia3)
            return;
        foreach (var (key, set) in new[]
                 {
                     ("layers_to_transform", spec.Method.LayersToTransform.Count > 0),
                     ("rank_pattern", spec.Method.RankPattern.Count > 0),
                     ("alpha_pattern", spec.Method.AlphaPattern.Count > 0),
                     ("bias", spec.Method.Bias != BiasMode.None),
                 })
        {
            if (set)
                context.Error($"method.{key}", $"method.{key} applies to types lora and dora only: PEFT's IA3 adapter_config.json has no such field (was type ia3 with {key} set)");
        }
    }

    private static void CheckName(AdapterSpec spec, string directory, SpecReadContext context)
    {
        var folder = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));
        if (spec.Name.Length > 0 && spec.Name != folder)
            context.Error("name", $"name must match the adapter's folder name '{folder}' (was {spec.Name})");
    }

    private static void CheckFiles(AdapterSpec spec, string directory, SpecReadContext context)
    {
        CheckFile("data.train", spec.Data.Train);
        CheckFile("data.validation", spec.Data.Validation);
        CheckFile("scope.out_of_scope.data", spec.Scope?.OutOfScope?.Data);
        CheckFile("scope.out_of_scope.validation", spec.Scope?.OutOfScope?.Validation);
        for (var i = 0; i < spec.Evaluation.Target.Count; i++)
            CheckFile($"evaluation.target[{i}].data", spec.Evaluation.Target[i].Data);
        for (var i = 0; i < spec.Evaluation.NonTarget.Count; i++)
            CheckFile($"evaluation.non_target[{i}].data", spec.Evaluation.NonTarget[i].Data);

        void CheckFile(string key, string? relative)
        {
            if (string.IsNullOrEmpty(relative))
                return;
            var full = Path.GetFullPath(Path.Combine(directory, DataReference.FileOf(relative)));
            if (DataPaths.Problem(directory, full) is { } problem)
                context.Error(key, $"{key} must be an existing file, relative to the adapter folder (was {relative}; {problem})");
        }
    }

    private static void CheckSuites(AdapterSpec spec, SpecReadContext context)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (list, suites) in new[] { ("target", spec.Evaluation.Target), ("non_target", spec.Evaluation.NonTarget) })
        {
            for (var i = 0; i < suites.Count; i++)
            {
                var suite = suites[i];
                var path = $"evaluation.{list}[{i}]";
                if (suite.Name.Length > 0 && !seen.Add(suite.Name))
                    context.Error($"{path}.name", $"{path}.name must be unique among the suites (was {suite.Name})");
                if (suite.Kind is SuiteKind.MultipleChoice or SuiteKind.Generation && spec.Task.Type != TaskType.CausalLm)
                {
                    context.Error($"{path}.kind", $"{path}.kind {SpecDefinition.SuiteKinds.Render(suite.Kind)} needs a decoder: task.type causal-lm "
                        + "(was sequence-classification)");
                }
                if (suite.Kind != SuiteKind.Generation)
                {
                    foreach (var key in new[] { "max_new_tokens", "stop" }.Where(k => context.IsPresent($"{path}.{k}")))
                        context.Error($"{path}.{key}", $"{path}.{key} applies only to kind generation (was kind {SpecDefinition.SuiteKinds.Render(suite.Kind)})");
                }
                if (suite.Kind != SuiteKind.OutOfScope)
                {
                    foreach (var key in new[] { "threshold", "quantile" }.Where(k => context.IsPresent($"{path}.{k}")))
                        context.Error($"{path}.{key}", $"{path}.{key} applies only to kind out-of-scope (was kind {SpecDefinition.SuiteKinds.Render(suite.Kind)})");
                }
                else if (suite.Threshold is null && spec.Data.Validation is null)
                {
                    context.Error(path, $"{path} (out-of-scope) needs data.validation to calibrate its threshold, or a threshold (was neither)");
                }
            }
        }
    }

    private static void CheckScope(AdapterSpec spec, SpecReadContext context)
    {
        if (spec.Scope is not { } scope)
            return;
        if (spec.Task.Type == TaskType.CausalLm)
            context.Error("scope", "scope applies only to task.type sequence-classification (was causal-lm)");
        if (scope.InScopeLabels.Contains(OutOfScopeSpec.Label))
            context.Error("scope.in_scope_labels", $"scope.in_scope_labels must not name {OutOfScopeSpec.Label}, the out-of-scope class (was {string.Join(", ", scope.InScopeLabels)})");
        if (scope.OutOfScope is not { } oos)
            return;
        if (spec.Data.Validation is null)
            context.Error("scope.out_of_scope", "scope.out_of_scope needs data.validation to calibrate its threshold on in-scope messages (was not set)");
        if (oos.Method == ScopeMethod.OosClass && oos.Data is null && scope.InScopeLabels.Count == 0)
            context.Error("scope.out_of_scope.method", "scope.out_of_scope.method oos-class needs out-of-scope training messages: scope.out_of_scope.data, or scope.in_scope_labels leaving some training labels out (was neither)");
        if (oos.Method == ScopeMethod.Softmax && oos.Data is not null)
            context.Error("scope.out_of_scope.data", $"scope.out_of_scope.data is trained only by method oos-class (was method softmax and data {oos.Data})");
        if (oos.Method == ScopeMethod.Softmax && oos.HeadOnly)
            context.Error("scope.out_of_scope.head_only", "scope.out_of_scope.head_only applies to method oos-class, which trains out-of-scope messages (was method softmax)");
    }

    private static void CheckRules(string list, IReadOnlyList<GateRule> rules, IReadOnlyList<SuiteSpec> suites, SpecReadContext context)
    {
        var valid = suites.SelectMany(s => MetricNames.For(s.Kind).Select(m => $"{s.Name}.{m}")).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var path = $"gate.{list}[{i}]";
            if (rule.Metric.Length > 0 && !valid.Contains(rule.Metric))
            {
                var expected = valid.Count == 0 ? $"a metric of a suite in evaluation.{list}, which has none" : "one of: " + string.Join(", ", valid);
                context.Error($"{path}.metric", $"{path}.metric must be {expected} (was {rule.Metric})");
            }
            else if (rule.Metric.Length > 0 && !seen.Add(rule.Metric))
            {
                context.Error($"{path}.metric", $"{path}.metric must not repeat an earlier rule's metric (was {rule.Metric})");
            }
        }
    }
}

/// <summary>
/// Where a spec's data files may be. A spec comes from a pull request, and the files it names are read, hashed
/// and trained on by a runner: inside a git repository they must resolve (symbolic links followed) inside that
/// repository, or inside a folder named in <c>PEFTOPS_DATA_ROOTS</c> (paths separated by the system's path
/// separator; for data kept beside the checkout, such as the benchmarks' <c>../shared/datasets</c>). An adapter
/// folder outside any repository (a local experiment) may name any file.
/// </summary>
internal static class DataPaths
{
    public const string RootsVariable = "PEFTOPS_DATA_ROOTS";

    /// <summary>Why <paramref name="full"/> may not be read as a data file of the adapter in <paramref name="directory"/>, or null when it may.</summary>
    public static string? Problem(string directory, string full)
    {
        if (Directory.Exists(full))
            return $"{full} is a folder";
        if (!File.Exists(full))
            return $"{full} does not exist";
        string real;
        try
        {
            real = RealPath(full);
        }
        catch (IOException e)
        {
            return $"{full} cannot be resolved: {e.Message.TrimEnd('.')}";
        }
        if (!File.Exists(real))
            return $"{full} is a symbolic link to {real}, which does not exist";
        if (RepositoryRoot(RealPath(Path.GetFullPath(directory))) is not { } repository)
            return null;
        var allowed = new[] { repository }.Concat(ExtraRoots());
        return allowed.Any(root => IsUnder(real, root))
            ? null
            : $"{real} is outside the repository {repository}; set {RootsVariable} to read data from elsewhere";
    }

    /// <summary>The path with every symbolic link on it followed, as realpath(3) gives it.</summary>
    /// <exception cref="IOException">A link loop, or links nested too deep.</exception>
    public static string RealPath(string fullPath, int depth = 0)
    {
        if (depth > 40)
            throw new IOException("Too many levels of symbolic links");
        var root = Path.GetPathRoot(fullPath) ?? "";
        var current = root;
        foreach (var part in fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            var info = new FileInfo(next);
            if (info.LinkTarget is not null)
                next = RealPath(info.ResolveLinkTarget(returnFinalTarget: true)!.FullName, depth + 1);
            current = next;
        }
        return current;
    }

    private static string? RepositoryRoot(string directory)
    {
        for (var dir = directory; !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            var git = Path.Combine(dir, ".git");
            if (Directory.Exists(git) || File.Exists(git))
                return dir;
        }
        return null;
    }

    private static IEnumerable<string> ExtraRoots() =>
        (Environment.GetEnvironmentVariable(RootsVariable) ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(root => RealPath(Path.GetFullPath(root)));

    private static bool IsUnder(string path, string root)
    {
        var prefix = Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, StringComparison.Ordinal);
    }
}
