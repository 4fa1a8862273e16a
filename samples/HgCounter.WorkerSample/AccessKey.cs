using System.Security.Cryptography;
using System.Text;

namespace HgCounter.WorkerSample;

/// <summary>Reads a key from <c>X-Api-Key</c> or <c>Authorization: Bearer</c> and compares it in constant time.</summary>
internal static class AccessKey
{
    public static bool IsPresented(HttpRequest request, string key) => Matches(Presented(request), key);

    public static bool Matches(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    private static string? Presented(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-Api-Key", out var header))
        {
            return header.ToString();
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }
}
