using System.Runtime.InteropServices;

namespace PeftOps.Cli;

/// <summary>
/// The one owner of SIGINT, SIGTERM and SIGQUIT (Ctrl+C, Ctrl+\, <c>kill</c>, GitHub Actions' cancel, which sends
/// SIGINT, then SIGTERM 7.5 s later, then SIGKILL). The first signal cancels <see cref="Token"/>, which every long
/// command passes down to its loops; the runtime is told not to end the process, so the command stops at its next
/// check, keeps what it must (train's checkpoint) and exits <see cref="ExitCodes.Cancelled"/> with one line. Later
/// signals change nothing and never throw. A command that does not stop within <see cref="Grace"/> is ended anyway
/// with the same exit code, so the promise "stopped within 10 s" holds even inside a step that cannot be interrupted.
/// System.CommandLine's own termination handler is switched off (<c>ProcessTerminationTimeout = null</c>): two
/// handlers on one signal were what threw on a second SIGTERM. The handlers stay until the process ends: a signal
/// that comes while <c>Main</c> returns must not find the runtime's default (which ends the process with 143).
/// </summary>
internal sealed class TerminationSignals
{
    /// <summary>How long a command may take to stop after the first signal before the process is ended for it.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(8);

    private readonly CancellationTokenSource source = new();
    private readonly PosixSignalRegistration[] registrations; // kept: disposed, a registration stops listening
    private readonly TimeSpan grace;
    private Timer? backstop;
    private string? received;
    private int lineWritten;

    private TerminationSignals(TimeSpan grace)
    {
        this.grace = grace;
        registrations = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT }.Select(signal => PosixSignalRegistration.Create(signal, OnSignal))];
    }

    // the process's listener, rooted so that its registrations live as long as the process
    private static TerminationSignals? listening;

    /// <summary>Starts listening, for the rest of the process (once; later calls give the same listener).</summary>
    public static TerminationSignals Listen() => listening ??= new TerminationSignals(Grace);


    /// <summary>Cancelled at the first signal.</summary>
    public CancellationToken Token => source.Token;

    /// <summary>The first signal's name (<c>SIGINT</c>, <c>SIGTERM</c>, <c>SIGQUIT</c>), or null while none came.</summary>
    public string? Received => Volatile.Read(ref received);

    /// <summary>
    /// Writes the one cancellation line, <c>peftops: cancelled (SIGINT)</c>, followed by what the command said it
    /// kept (an <see cref="OperationCanceledException"/> message of its own, e.g. train's checkpoint), and returns
    /// <see cref="ExitCodes.Cancelled"/>. Only the first call writes: the backstop and the command never both do.
    /// </summary>
    public int Report(OperationCanceledException? exception) => Report(Received, exception);

    /// <inheritdoc cref="Report(OperationCanceledException?)"/>
    public int Report(string? signal, OperationCanceledException? exception)
    {
        if (Interlocked.Exchange(ref lineWritten, 1) == 0)
            Console.Error.WriteLine(Line(signal, exception));
        return ExitCodes.Cancelled;
    }

    /// <summary><c>peftops: cancelled (SIGTERM): DETAIL</c>; without a signal (a token cancelled in a test) just <c>peftops: cancelled</c>.</summary>
    public static string Line(string? signal, OperationCanceledException? exception)
    {
        var line = signal is null ? "peftops: cancelled" : $"peftops: cancelled ({signal})";
        var detail = exception?.Message;
        return string.IsNullOrEmpty(detail) || detail == DefaultMessage ? line : $"{line}: {detail}";
    }

    private static readonly string DefaultMessage = new OperationCanceledException().Message;

    private void OnSignal(PosixSignalContext context)
    {
        // the process stays; the command stops at its next look at Token
        context.Cancel = true;
        var name = context.Signal switch
        {
            PosixSignal.SIGINT => "SIGINT",
            PosixSignal.SIGTERM => "SIGTERM",
            PosixSignal.SIGQUIT => "SIGQUIT",
            _ => context.Signal.ToString(),
        };
        if (Interlocked.CompareExchange(ref received, name, null) is not null)
            return; // a second signal: already stopping
        backstop = new Timer(_ => EndNow(name), null, grace, Timeout.InfiniteTimeSpan);
        try
        {
            source.Cancel();
        }
        catch (AggregateException)
        {
            // a callback registered on the token threw: its operation ends with that, the signal handler must not
        }
    }

    /// <summary>
    /// The command did not stop within the grace period: end the process with the same code and one line. The end is
    /// libc's <c>_exit</c>, not <c>Environment.Exit</c>: running libtorch's static destructors while its threads still
    /// compute crashed the process (exit 139).
    /// </summary>
    private void EndNow(string signal)
    {
        if (Interlocked.Exchange(ref lineWritten, 1) == 0)
            Console.Error.WriteLine($"{Line(signal, null)}: did not stop within {grace.TotalSeconds:0} s, ended");
        try
        {
            ExitProcess(ExitCodes.Cancelled);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Environment.Exit(ExitCodes.Cancelled); // not glibc
        }
    }

    [DllImport("libc.so.6", EntryPoint = "_exit")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern void ExitProcess(int status);
}
