namespace Hikyaku.Contracts.Model;

/// <summary>Why a command was refused; the API maps it to a problem+json status.</summary>
public enum ErrorKind
{
    Invalid = 1,
    NotFound = 2,
    Conflict = 3,
}

/// <param name="Field">The request field at fault, when there is one (camelCase, as in the API).</param>
[GenerateSerializer, Alias("hikyaku.command-error")]
public sealed record CommandError([property: Id(0)] ErrorKind Kind, [property: Id(1)] string Message, [property: Id(2)] string? Field = null)
{
    public static CommandError Invalid(string field, string message) => new(ErrorKind.Invalid, message, field);

    public static CommandError NotFound(string message) => new(ErrorKind.NotFound, message);

    public static CommandError Conflict(string message, string? field = null) => new(ErrorKind.Conflict, message, field);
}

/// <summary>A command's result as a value: either <see cref="Value"/> or <see cref="Error"/>.</summary>
[GenerateSerializer, Alias("hikyaku.outcome`1")]
public sealed record Outcome<T>([property: Id(0)] T? Value, [property: Id(1)] CommandError? Error)
{
    public bool Succeeded => Error is null;

    public static Outcome<T> Ok(T value) => new(value, null);

    public static Outcome<T> Fail(CommandError error) => new(default, error);

    public static implicit operator Outcome<T>(CommandError error) => Fail(error);
}

/// <summary>An empty success value for commands that return nothing.</summary>
[GenerateSerializer, Alias("hikyaku.done")]
public sealed record Done
{
    public static Done Value { get; } = new();
}
