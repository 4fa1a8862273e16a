using System.Globalization;
using HgCounter.Rtsp.Sources;

namespace HgCounter.Rtsp.Ffmpeg;

/// <summary>Builds ffmpeg/ffprobe command lines. Arguments go through <c>ArgumentList</c>, never a shell.</summary>
internal static class FfmpegArguments
{
    // Our own timers decide stalls and open timeouts; ffmpeg's socket timeout is a slightly later safety net.
    private static readonly TimeSpan SocketTimeoutMargin = TimeSpan.FromSeconds(2);

    /// <summary>ffprobe arguments that print the first video stream's codec, size and rate as key=value lines.</summary>
    public static List<string> Probe(SourceLocation location, FrameSourceOptions options)
    {
        var args = new List<string> { "-hide_banner", "-v", "error" };
        AddInput(args, location, options, options.OpenTimeout, forDecode: false);
        args.AddRange(["-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height,avg_frame_rate,r_frame_rate", "-of", "default=noprint_wrappers=1"]);
        return args;
    }

    /// <summary>
    /// ffmpeg arguments that decode the first video stream to raw bgr24 frames on stdout. ffmpeg keeps the first output size
    /// for the whole run (it rescales after a mid-stream resolution change), so the framing on stdout never breaks.
    /// <c>-loglevel verbose</c> adds the stream report and decoder re-initialisations that <see cref="FfmpegStreamInfoParser"/> reads.
    /// </summary>
    public static List<string> Decode(SourceLocation location, FrameSourceOptions options)
    {
        var args = new List<string> { "-hide_banner", "-nostdin", "-nostats", "-loglevel", "verbose" };
        AddInput(args, location, options, options.ReadTimeout > options.OpenTimeout ? options.ReadTimeout : options.OpenTimeout, forDecode: true);
        var filters = new List<string>();
        if (options.TargetFps is { } fps)
        {
            filters.Add("fps=" + fps.ToString("0.###", CultureInfo.InvariantCulture));
        }

        if (options.Width is not null || options.Height is not null)
        {
            // -2: keep the aspect ratio with an even size.
            filters.Add(string.Create(CultureInfo.InvariantCulture, $"scale={options.Width ?? -2}:{options.Height ?? -2}"));
        }

        args.AddRange(["-map", "0:v:0", "-an", "-sn", "-dn"]);
        if (filters.Count > 0)
        {
            args.AddRange(["-vf", string.Join(',', filters)]);
        }

        args.AddRange(["-pix_fmt", "bgr24", "-f", "rawvideo", "pipe:1"]);
        return args;
    }

    private static void AddInput(List<string> args, SourceLocation location, FrameSourceOptions options, TimeSpan timeout, bool forDecode)
    {
        var micros = ((long)(timeout + SocketTimeoutMargin).TotalMicroseconds).ToString(CultureInfo.InvariantCulture);
        if (location.Kind == SourceKind.Network)
        {
            var scheme = location.Uri!.Scheme.ToLowerInvariant();
            if (scheme is "rtsp" or "rtsps")
            {
                args.AddRange(["-rtsp_transport", options.RtspTransport, "-timeout", micros]);
            }
            else
            {
                args.AddRange(["-rw_timeout", micros]);
            }
        }
        else if (forDecode)
        {
            if (options.Realtime)
            {
                args.Add("-re");
            }

            if (options.Loop)
            {
                args.AddRange(["-stream_loop", "-1"]);
            }
        }

        if (forDecode)
        {
            args.AddRange(["-fflags", "+genpts+discardcorrupt"]);
        }

        args.AddRange(["-i", location.Kind == SourceKind.File ? location.FilePath! : location.Value]);
    }
}
