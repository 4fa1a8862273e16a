using HgCounter.Configuration;
using Microsoft.Extensions.Options;

namespace HgCounter.Runtime.Configuration;

/// <summary>
/// The data annotations of one counting line. <see cref="CameraOptions"/> lives in Abstractions, which carries no options
/// package and so no <c>[ValidateEnumeratedItems]</c> on <see cref="CameraOptions.Lines"/>; <see cref="LineRules"/> runs this per line.
/// </summary>
[OptionsValidator]
internal sealed partial class LineOptionsAnnotations : IValidateOptions<LineOptions>;
