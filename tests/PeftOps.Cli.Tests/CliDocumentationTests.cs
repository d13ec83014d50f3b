using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using PeftOps.Cli.Commands;
using PeftOps.TestSupport;

namespace PeftOps.Cli.Tests;

/// <summary>
/// docs/cli.md cannot drift from the command tree: every command, argument, option and alias the tree has is
/// documented, nothing documented is missing from the tree, and where the document says required, repeatable, a
/// default or an exit code, the tree agrees. README's summary of commands names only what exists. The checker itself is
/// shown to catch each kind of drift on a small tree.
/// </summary>
public sealed class CliDocumentationTests
{
    private static readonly int[] ExitCodeValues =
        [.. typeof(ExitCodes).GetFields().Where(f => f.IsLiteral).Select(f => (int)f.GetRawConstantValue()!)];

    private static string Read(string file) => File.ReadAllText(Path.Combine(TestPaths.RepoRoot, file));

    [Fact]
    public void Docs_cli_md_documents_the_command_tree_exactly()
    {
        var problems = CliReferenceCheck.Problems(PeftOpsCli.CreateRoot(), CliReference.Parse(Read("docs/cli.md")), ExitCodeValues);

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void The_READMEs_summary_names_only_commands_and_options_that_exist()
    {
        var problems = CliReferenceCheck.SynopsisProblems(PeftOpsCli.CreateRoot(), Read("README.md"), "README.md", "## Command-line contract");

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void The_READMEs_exit_codes_are_the_tools()
    {
        var readme = Read("README.md");
        var start = readme.IndexOf("Exit codes: ", StringComparison.Ordinal);
        var paragraph = readme[start..readme.IndexOf("\n\n", start, StringComparison.Ordinal)];
        // the codes are the numbers that start the list or follow a comma; code spans (`PEFTOPS_DEBUG=1`) are not the list
        var listed = Regex.Matches(Regex.Replace(paragraph, "`[^`]*`", ""), @"(?:Exit codes:|,)\s+(\d+)\s")
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));

        Assert.Equal(ExitCodeValues.Order(), listed.Order());
    }

    [Fact]
    public void Docs_cli_md_covers_every_command_that_runs()
    {
        var documented = CliReference.Parse(Read("docs/cli.md")).Rows.Select(r => r.Path).ToHashSet();

        // the commands themselves, so that a parser that read nothing cannot pass the test above
        Assert.Superset(new HashSet<string> { "version", "train", "registry show", "registry candidate fetch", "serve", "serve refresh", "model synth", "bench" }, documented);
    }

    private const string Document = """
        ## Exit codes

        | code | meaning |
        |---|---|
        | 0 | success |
        | 2 | bad input |

        ## Commands

        | command | options | writes |
        |---|---|---|
        | `train ADAPTER_DIR` | `--out RUN_DIR` (required), `--device DEVICE` (default `cpu`), `--set key=value` (repeatable), `--merge` | a run |

        ## `registry`

        Every `registry` subcommand takes `--registry URI` (`file://PATH`).

        | subcommand | options | does |
        |---|---|---|
        | `show [ADAPTER]` | `--stage S` (with `--at`) | versions |
        """;

    private static RootCommand Tree(Action<RootCommand>? change = null)
    {
        var train = Runs(new Command("train") { new Argument<string>("ADAPTER_DIR") });
        train.Options.Add(new Option<string>("--out") { Required = true });
        train.Options.Add(new Option<string>("--device") { DefaultValueFactory = _ => "cpu" });
        train.Options.Add(new Option<string[]>("--set") { Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false });
        train.Options.Add(new Option<bool>("--merge"));
        var show = Runs(new Command("show") { new Argument<string?>("ADAPTER") { Arity = ArgumentArity.ZeroOrOne }, new Option<string>("--stage") });
        var registry = new Command("registry") { show };
        registry.Options.Add(new Option<string?>("--registry") { Recursive = true });
        var root = new RootCommand { train, registry };
        change?.Invoke(root);
        return root;
    }

    private static Command Find(RootCommand root, string path) =>
        path.Split(' ').Aggregate((Command)root, (command, name) => command.Subcommands.Single(c => c.Name == name));

    private static Option OptionOf(RootCommand root, string path, string name) => Find(root, path).Options.Single(o => o.Name == name);

    private static List<string> Check(RootCommand tree, string document = Document) =>
        CliReferenceCheck.Problems(tree, CliReference.Parse(document), [0, 2]);

    [Fact]
    public void A_tree_and_a_document_that_agree_have_no_problems() => Assert.Empty(Check(Tree()));

    [Fact]
    public void An_option_of_the_tree_missing_from_the_document_is_found() =>
        Assert.Equal(["`peftops train` --dtype: --dtype is not in docs/cli.md"], Check(Tree(root => Find(root, "train").Options.Add(new Option<string>("--dtype")))));

    [Fact]
    public void A_documented_option_missing_from_the_tree_is_found() =>
        Assert.Equal(["docs/cli.md:12: `peftops train` has no option --merge"], Check(Tree(root => Find(root, "train").Options.Remove(OptionOf(root, "train", "--merge")))));

    [Fact]
    public void An_alias_is_an_option_name_the_document_must_give() =>
        Assert.Equal(["`peftops train` --out: -o is not in docs/cli.md"], Check(Tree(root => OptionOf(root, "train", "--out").Aliases.Add("-o"))));

    [Fact]
    public void A_command_missing_either_side_is_found()
    {
        Assert.Equal(["`peftops evaluate` is not in docs/cli.md"], Check(Tree(root => root.Subcommands.Add(Runs(new Command("evaluate"))))));
        Assert.Equal(["docs/cli.md:20: `peftops registry show` does not exist"], Check(Tree(root => Find(root, "registry").Subcommands.Remove(Find(root, "registry show")))));
    }

    [Fact]
    public void Arguments_are_compared_by_name_order_and_whether_they_are_optional()
    {
        Assert.Equal(["docs/cli.md:20: `peftops registry show` takes ADAPTER, the document says [ADAPTER]"],
            Check(Tree(root => Find(root, "registry show").Arguments.Single().Arity = ArgumentArity.ExactlyOne)));
        Assert.Equal(["docs/cli.md:12: `peftops train` takes adapter_dir, the document says ADAPTER_DIR"],
            Check(Tree(root =>
            {
                Find(root, "train").Arguments.Clear();
                Find(root, "train").Arguments.Add(new Argument<string>("adapter_dir"));
            })));
    }

    [Fact]
    public void Required_repeatable_defaults_and_values_are_checked()
    {
        Assert.Equal(["docs/cli.md:12: `peftops train` --out is not required, the document says (required)"],
            Check(Tree(root => OptionOf(root, "train", "--out").Required = false)));
        Assert.Equal(["docs/cli.md:12: `peftops train` --device defaults to cuda, the document says cpu"],
            Check(Tree(root => ((Option<string>)OptionOf(root, "train", "--device")).DefaultValueFactory = _ => "cuda")));
        Assert.Equal(["docs/cli.md:12: `peftops train` --set is not repeatable, the document says (repeatable)"],
            Check(Tree(root => OptionOf(root, "train", "--set").Arity = ArgumentArity.ExactlyOne)));
        Assert.Equal(["docs/cli.md:12: `peftops train` --device defaults to cpu; the document does not say so"],
            Check(Tree(), Document.Replace("`--device DEVICE` (default `cpu`)", "`--device DEVICE`", StringComparison.Ordinal)));
        Assert.Equal(["docs/cli.md:12: `peftops train` --out takes a value: write it with its placeholder (the document says `--out`)"],
            Check(Tree(), Document.Replace("`--out RUN_DIR`", "`--out`", StringComparison.Ordinal)));
        Assert.Equal(["docs/cli.md:12: `peftops train` --merge is a flag: write it alone or with true|false (the document says `--merge yes`)"],
            Check(Tree(), Document.Replace("`--merge`", "`--merge yes`", StringComparison.Ordinal)));
    }

    [Fact]
    public void An_option_named_only_inside_a_note_is_not_an_option_of_the_row_and_a_recursive_one_comes_from_the_lead()
    {
        // `--at` appears in show's row only inside "(with `--at`)"; --registry comes from the registry section's lead
        Assert.Empty(Check(Tree()));
        Assert.Equal(["`peftops registry show` --registry: --registry is not in docs/cli.md"],
            Check(Tree(), Document.Replace("takes `--registry URI`", "takes a store", StringComparison.Ordinal)));
    }

    [Fact]
    public void Exit_codes_are_compared_both_ways() =>
        Assert.Equal(["docs/cli.md:6: exit code 2 is not one of ExitCodes", "exit code 5 is not in docs/cli.md's table"],
            CliReferenceCheck.Problems(Tree(), CliReference.Parse(Document), [0, 5]));

    private static Command Runs(Command command)
    {
        command.SetAction(_ => 0);
        return command;
    }
}
