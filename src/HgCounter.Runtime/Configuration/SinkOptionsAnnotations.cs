using HgCounter.Configuration;
using Microsoft.Extensions.Options;

namespace HgCounter.Runtime.Configuration;

/// <summary>The data annotations of one sink entry; <see cref="SinkRules"/> runs this per entry (the sinks list is not enumerated by the generator).</summary>
#pragma warning disable SYSLIB1212 // SinkRules runs JsonlRotationOptionsAnnotations on Rotation itself.
[OptionsValidator]
internal sealed partial class SinkOptionsAnnotations : IValidateOptions<SinkOptions>;
#pragma warning restore SYSLIB1212
