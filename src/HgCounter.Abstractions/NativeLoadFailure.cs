namespace HgCounter;

/// <summary>Recognises a native library that failed to load, however deep the wrapper (a type initializer) put it.</summary>
internal static class NativeLoadFailure
{
    /// <summary>True when <paramref name="exception"/> or one of its inner exceptions is a failed native load.</summary>
    public static bool Is(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
            {
                return true;
            }
        }

        return false;
    }
}
