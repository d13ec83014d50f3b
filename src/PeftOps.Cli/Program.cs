using PeftOps.Cli;
using PeftOps.Cli.Commands;

OpenMpWaitPolicy.SetDefault(); // before libtorch loads
var signals = TerminationSignals.Listen();
return await PeftOpsCli.RunAsync(PeftOpsCli.CreateRoot(), args, signals).ConfigureAwait(false);
