using PeftOps.Cli;
using PeftOps.Cli.Commands;

using var signals = TerminationSignals.Listen();
return await PeftOpsCli.RunAsync(PeftOpsCli.CreateRoot(), args, signals).ConfigureAwait(false);
