using PeftOps.Cli;
using PeftOps.Cli.Commands;

OpenMpWaiting.SetDefault(); // before libtorch loads
NativeHeap.KeepFreedMemory(); // before the first tensor
var signals = TerminationSignals.Listen();
return await PeftOpsCli.RunAsync(PeftOpsCli.CreateRoot(), args, signals).ConfigureAwait(false);
