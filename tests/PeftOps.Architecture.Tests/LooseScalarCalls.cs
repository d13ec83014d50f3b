using System.Reflection;
using System.Reflection.Emit;
using TorchSharp;

namespace PeftOps.Architecture.Tests;

/// <summary>
/// Finds, in compiled IL, every call that gives libtorch a <see cref="Scalar"/> which nothing references. TorchSharp
/// 0.107 turns each number in tensor arithmetic (<c>x + 1e-6</c>, <c>x.pow(2)</c>), and the alpha of each tensor addition
/// (<c>x + y</c> is <c>x.add(y, 1)</c>), into a native Scalar freed by its finalizer; once its handle has been read the
/// object is garbage, so a collection on another thread can free it while libtorch still reads it. A call is loose when it
/// converts a number to a Scalar implicitly, or calls a TorchSharp method that does so inside (followed through
/// TorchSharp's own calls) without disposing what it made.
/// </summary>
internal static class LooseScalarCalls
{
    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
    private static readonly Assembly TorchSharpAssembly = typeof(Scalar).Assembly;
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);
    private static readonly Dictionary<MethodBase, bool> TorchSharpVerdicts = [];
    private static readonly Lock Gate = new();

    /// <summary>"Type::Method calls Callee" for each loose call in the assembly's methods, lambdas and state machines.</summary>
    public static IEnumerable<string> In(Assembly assembly) => assembly.GetTypes().SelectMany(In);

    /// <summary>The loose calls of one type's own methods (its lambdas and state machines are nested types of their own).</summary>
    public static IEnumerable<string> In(Type type) =>
        from method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared))
        where method.DeclaringType == type
        from callee in Callees(method)
        where MakesLooseScalar(callee)
        select $"{type.FullName}::{method.Name} calls {Describe(callee)}";

    private static bool MakesLooseScalar(MethodBase callee)
    {
        if (callee.DeclaringType?.Assembly != TorchSharpAssembly)
            return false;
        if (callee.DeclaringType == typeof(Scalar) && callee.Name == "op_Implicit")
            return true;
        lock (Gate)
            return TorchSharpMakesLooseScalar(callee, depth: 0);
    }

    private static bool TorchSharpMakesLooseScalar(MethodBase method, int depth)
    {
        if (TorchSharpVerdicts.TryGetValue(method, out var known))
            return known;
        TorchSharpVerdicts[method] = false; // a cycle reads as clean until its first member is decided
        var callees = Callees(method).ToList();
        var disposesAScalar = callees.Any(c => c.DeclaringType == typeof(Scalar) && c.Name == nameof(Scalar.Dispose));
        var verdict = !disposesAScalar && callees.Any(c =>
            c.DeclaringType == typeof(Scalar) && c.Name == "op_Implicit"
            || c.Name == "ToScalar" && c.DeclaringType?.Assembly == TorchSharpAssembly
            || depth < 4 && c.DeclaringType?.Assembly == TorchSharpAssembly && TorchSharpMakesLooseScalar(c, depth + 1));
        TorchSharpVerdicts[method] = verdict;
        return verdict;
    }

    private static IEnumerable<MethodBase> Callees(MethodBase method)
    {
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or BadImageFormatException)
        {
            yield break;
        }
        if (il is null)
            yield break;
        var typeArguments = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            var op = il[at] == 0xFE ? OpCodesByValue[unchecked((short)(0xFE00 | il[at + 1]))] : OpCodesByValue[il[at]];
            at += op.Size;
            if (op.OperandType == OperandType.InlineMethod)
            {
                var callee = Resolve(method.Module, BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                if (callee is not null)
                    yield return callee;
            }
            at += OperandSize(op, il, at);
        }
    }

    private static MethodBase? Resolve(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        try
        {
            return module.ResolveMethod(token, typeArguments, methodArguments);
        }
        catch (Exception e) when (e is ArgumentException or BadImageFormatException or TypeLoadException or MissingMethodException)
        {
            return null;
        }
    }

    private static int OperandSize(OpCode op, byte[] il, int at) => op.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };

    private static string Describe(MethodBase callee) =>
        $"{callee.DeclaringType?.Name}.{callee.Name}({string.Join(", ", callee.GetParameters().Select(p => p.ParameterType.Name))})";
}
