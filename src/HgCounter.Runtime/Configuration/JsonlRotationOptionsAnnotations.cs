using HgCounter.Configuration;
using Microsoft.Extensions.Options;

namespace HgCounter.Runtime.Configuration;

/// <summary>The data annotations of a JSONL sink's rotation settings; <see cref="SinkRules"/> runs this per entry.</summary>
[OptionsValidator]
internal sealed partial class JsonlRotationOptionsAnnotations : IValidateOptions<JsonlRotationOptions>;
