using System.Text.RegularExpressions;

namespace HgCounter.Rtsp.Ffmpeg;

/// <summary>
/// Tells the stderr lines that explain a failure from ffmpeg's routine report at <c>-loglevel verbose</c> (measured
/// with ffmpeg 5.1): the stream report, SDP, filter negotiation, connection progress and the statistics printed at
/// exit. Everything else (errors, warnings, lines ffmpeg may add in later versions) counts as relevant.
/// </summary>
internal static partial class FfmpegNoiseFilter
{
    /// <summary>True when <paramref name="line"/> may explain why ffmpeg failed.</summary>
    public static bool IsRelevant(string line)
    {
        if (string.IsNullOrWhiteSpace(line) || char.IsWhiteSpace(line[0]))
        {
            // Indented lines are the details of a report block (streams, metadata, per-stream statistics).
            return false;
        }

        return !Noise().IsMatch(line);
    }

    // Anchored at the start, after an optional "[component @ 0x…] " prefix.
    [GeneratedRegex("""
        ^(\[[^\]]+\]\s)?(
            [a-z]=                                     # SDP lines
          | SDP:
          | (Input|Output)\s\#\d+,                     # stream report headers
          | (Input|Output)\sfile\s\#\d+\s\(.*\):$      # statistics headers at exit
          | Stream\smapping:
          | Press\s\[q\]
          | frame=                                     # progress and final statistics
          | size=
          | video:\d
          | Total:
          | Statistics:
          | Last\smessage\srepeated
          | No\smore\soutput\sstreams
          | Past\sduration
          | Starting\sconnection\sattempt
          | Successfully\sconnected
          | setting\sjitter\sbuffer
          | Reinit\scontext
          | auto-inserting\sfilter
          | w:\S+\sh:\S+                               # filter graph negotiation
          | Exiting\snormally
        )
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex Noise();
}
