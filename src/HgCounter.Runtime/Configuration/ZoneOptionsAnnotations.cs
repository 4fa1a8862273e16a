using HgCounter.Configuration;
using Microsoft.Extensions.Options;

namespace HgCounter.Runtime.Configuration;

/// <summary>
/// The data annotations of one zone (<see cref="CameraOptions"/> lives in Abstractions, which carries no options package
/// and so no <c>[ValidateEnumeratedItems]</c> on <see cref="CameraOptions.Zones"/>); <see cref="ZoneRules"/> runs this per zone.
/// </summary>
[OptionsValidator]
internal sealed partial class ZoneOptionsAnnotations : IValidateOptions<ZoneOptions>;
