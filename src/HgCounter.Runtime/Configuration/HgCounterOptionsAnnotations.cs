using HgCounter.Configuration;
using Microsoft.Extensions.Options;

namespace HgCounter.Runtime.Configuration;

/// <summary>
/// The data annotations of the whole <see cref="HgCounterOptions"/> tree, checked by code the options source generator
/// writes (nested options through <c>[ValidateObjectMembers]</c>, lists through <c>[ValidateEnumeratedItems]</c>).
/// </summary>
[OptionsValidator]
internal sealed partial class HgCounterOptionsAnnotations : IValidateOptions<HgCounterOptions>;
