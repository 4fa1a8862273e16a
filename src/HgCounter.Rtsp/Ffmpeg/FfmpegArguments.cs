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
    /// Frames are dropped (<see cref="FrameSourceOptions.TargetFps"/>) before they are scaled and converted, and
    /// <c>-fps_mode passthrough</c> keeps the muxer from duplicating frames to fill the gaps.
    /// </summary>
    public static List<string> Decode(SourceLocation location, FrameSourceOptions options)
    {
        var args = new List<string> { "-hide_banner", "-nostdin", "-nostats", "-loglevel", "verbose" };
        AddInput(args, location, options, options.ReadTimeout > options.OpenTimeout ? options.ReadTimeout : options.OpenTimeout, forDecode: true);
        args.AddRange(["-map", "0:v:0", "-an", "-sn", "-dn"]);
        var filters = new List<string>(2);
        if (options.TargetFps is { } fps)
        {
            filters.Add(Select(fps));
        }

        if (Scale(options) is { } scale)
        {
            filters.Add(scale);
        }

        if (filters.Count > 0)
        {
            args.AddRange(["-vf", string.Join(',', filters)]);
        }

        args.AddRange(["-fps_mode", "passthrough", "-pix_fmt", "bgr24", "-f", "rawvideo", "pipe:1"]);
        return args;
    }

    /// <summary>
    /// A filter that only drops: time is cut into slots of 1/<paramref name="fps"/> s from the first frame (which sits in the
    /// middle of its slot, so stream timestamps that jitter around a slot boundary do not make two frames share one), and the
    /// first frame of each later slot passes. A 30 fps stream at 10 gives every third frame, 25 fps gives 10 on average, and
    /// 5 fps stays 5 (ffmpeg's <c>fps</c> filter would duplicate up to 10). A timestamp that goes back passes and restarts.
    /// </summary>
    internal static string Select(double fps)
    {
        var r = fps.ToString("0.######", CultureInfo.InvariantCulture);
        return $"select='isnan(prev_selected_t)+lt(t,prev_selected_t)+gte(floor((t-start_t)*{r}+0.5),floor((prev_selected_t-start_t)*{r}+0.5)+1)'";
    }

    /// <summary>
    /// One scale filter for the requested output size and the consumer's maximum size, or null when neither is set.
    /// With only the output size: <c>scale=W:H</c> (<c>-2</c> keeps the aspect ratio with an even size), as before. With a
    /// maximum: that same picture (or the source's) times min(1, maxW/w, maxH/h), rounded down to even sizes: shrunk to fit
    /// with its aspect ratio kept, never enlarged. The factor is computed by ffmpeg, which alone knows the source size.
    /// </summary>
    internal static string? Scale(FrameSourceOptions options)
    {
        var (width, height, maxWidth, maxHeight) = (options.Width, options.Height, options.MaxWidth, options.MaxHeight);
        if (maxWidth is null && maxHeight is null)
        {
            return width is null && height is null ? null : Invariant($"scale={width ?? -2}:{height ?? -2}");
        }

        // The picture the coordinates refer to, as ffmpeg's own -2 would size it.
        var w = width?.ToString(CultureInfo.InvariantCulture) ?? (height is { } h1 ? Invariant($"round({h1}*iw/ih/2)*2") : "iw");
        var h = height?.ToString(CultureInfo.InvariantCulture) ?? (width is { } w1 ? Invariant($"round({w1}*ih/iw/2)*2") : "ih");
        var factor = (maxWidth, maxHeight) switch
        {
            ({ } mw, { } mh) => Invariant($"min(1,min({mw}/({w}),{mh}/({h})))"),
            ({ } mw, null) => Invariant($"min(1,{mw}/({w}))"),
            _ => Invariant($"min(1,{maxHeight}/({h}))"),
        };

        // +1e-6: 640/1280*1280 must stay 640, not become 638 by a rounding error below it.
        return $"scale=w='trunc(({w})*{factor}/2+1e-6)*2':h='trunc(({h})*{factor}/2+1e-6)*2'";
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

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
            if (options.HardwareDecode is { Length: > 0 } hardware && !string.Equals(hardware, "none", StringComparison.OrdinalIgnoreCase))
            {
                // No -hwaccel_output_format: decoded frames are copied back to system memory, so select, scale and the
                // bgr24 conversion run as in software decoding.
                args.AddRange(["-hwaccel", hardware]);
                if (!string.IsNullOrEmpty(options.HardwareDevice))
                {
                    args.AddRange(["-hwaccel_device", options.HardwareDevice]);
                }
            }
        }

        args.AddRange(["-i", location.Kind == SourceKind.File ? location.FilePath! : location.Value]);
    }
}
