using System.ComponentModel.DataAnnotations;
using System.Reflection;
using HgCounter.Security;
using Microsoft.Extensions.Options;

namespace HgCounter.Runtime.Configuration;

/// <summary>
/// Runs the data annotations and <see cref="IValidatableObject"/> of one options object and of its
/// <see cref="ValidateObjectMembersAttribute"/> members, naming each failure by its full key
/// (<c>HgCounter:Events:Sinks:0:Rotation:RetainFiles</c>). Messages are redacted: a value never carries a credential.
/// </summary>
internal static class OptionsAnnotations
{
    public static void Validate(object instance, string key, List<string> failures)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(instance, new ValidationContext(instance), results, validateAllProperties: true);
        foreach (var result in results)
        {
            var member = result.MemberNames.FirstOrDefault();
            var message = Redactor.Redact(result.ErrorMessage);
            failures.Add(member is null ? $"{key}: {message}" : $"{key}:{member}: {message}");
        }

        foreach (var property in instance.GetType().GetProperties())
        {
            if (property.GetCustomAttribute<ValidateObjectMembersAttribute>() is not null && property.GetValue(instance) is { } nested)
            {
                Validate(nested, $"{key}:{property.Name}", failures);
            }
        }
    }
}
