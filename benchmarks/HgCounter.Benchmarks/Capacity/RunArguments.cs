using System.Globalization;

namespace HgCounter.Benchmarks.Capacity;

/// <summary>
/// The <c>--name value</c> options of a measuring command. An option the command does not know fails at once (a typo
/// must not leave a figure measured with a default), so does a value that does not parse.
/// </summary>
public sealed class RunArguments
{
    private readonly List<KeyValuePair<string, string>> _options = [];

    public RunArguments(string command, IReadOnlyList<string> args, IReadOnlyCollection<string> known)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (!known.Contains(args[i]))
            {
                throw new ArgumentException($"{command}: unknown option '{args[i]}'. Options: {string.Join(' ', known)}.");
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{command}: option '{args[i]}' needs a value.");
            }

            _options.Add(new(args[i], args[++i]));
        }
    }

    public bool Has(string name) => _options.Any(o => o.Key == name);

    /// <summary>The last value given for <paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public string Value(string name, string fallback) => _options.LastOrDefault(o => o.Key == name).Value ?? fallback;

    /// <summary>Every value given for a repeatable option, in order.</summary>
    public IEnumerable<string> Values(string name) => _options.Where(o => o.Key == name).Select(o => o.Value);

    public double Number(string name, double fallback) =>
        double.TryParse(Value(name, fallback.ToString(CultureInfo.InvariantCulture)), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"{name}: '{Value(name, "")}' is not a number.");

    public int? WholeNumber(string name) =>
        !Has(name) ? null
        : int.TryParse(Value(name, ""), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value
        : throw new ArgumentException($"{name}: '{Value(name, "")}' is not a positive whole number.");

    public TimeSpan Seconds(string name, double fallback) => TimeSpan.FromSeconds(Number(name, fallback));
}
