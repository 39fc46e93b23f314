using Mailstead.Core.Credentials;

namespace Mailstead.Core.Accounts;

public enum ProblemKind
{
    Invalid,
    NotFound,
    Duplicate,
    Denied,
    PolicyFailed,
    SelfServiceDisabled,
    Throttled,
    Conflict,
}

/// <summary>
/// Why an operation was refused, in words a person can act on. <see cref="Fields"/> ties messages to form
/// fields (forms show them next to the field); <see cref="Policy"/> carries each password criterion.
/// </summary>
public sealed record Problem(ProblemKind Kind, string Message)
{
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();

    public PolicyReport? Policy { get; init; }

    /// <summary>Who to ask instead, when self-service change is switched off.</summary>
    public string? AdminContact { get; init; }
}

/// <summary>A value or the problem that kept it from being produced (parse failures are values, not exceptions).</summary>
public readonly record struct Outcome<T>
{
    internal Outcome(T? value, Problem? problem)
    {
        Value = value;
        Problem = problem;
    }

    public T? Value { get; }

    public Problem? Problem { get; }

    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Value))]
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(false, nameof(Problem))]
    public bool Succeeded => Problem is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Problem problem) => new(default, problem);
}

public static class Outcome
{
    /// <summary>For values of interface types, which C# does not convert to <see cref="Outcome{T}"/> implicitly.</summary>
    public static Outcome<T> Success<T>(T value) => new(value, null);
}
