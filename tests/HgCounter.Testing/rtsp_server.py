#!/usr/bin/python3
"""Minimal RTSP camera simulator for HgCounter tests, benchmarks and the demo.

Run with Debian's interpreter (it needs the distro's PyGObject + GStreamer):

    /usr/bin/python3 rtsp_server.py [--port 0] [--mount stream]
        [--file PATH [--loop]] [--width 640 --height 360 --fps 10] [--pattern ball]
        [--user U --password P [--auth-method basic|digest]] [--verbose]

Debian packages: python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-{base,good,bad,ugly}
(x264enc is in -ugly) and gstreamer1.0-libav (needed to decode e.g. msmpeg4 in vtest.avi).

Protocol with the parent process:
  * stdout: exactly one line "READY rtsp://127.0.0.1:<port>/<mount>" once the socket is listening
    and the source has been validated; nothing else is ever written to stdout.
  * stderr: errors / diagnostics.
  * exits 0 on SIGTERM/SIGINT or when stdin reaches EOF (only watched when stdin is a pipe or a
    socket, i.e. the parent redirected it; --stdin-watch yes|no overrides), and when the parent
    process dies (PR_SET_PDEATHSIG, checked against the original ppid so that the exit of the
    *thread* that forked us - e.g. a .NET thread-pool thread - does not kill the server).
  * exit 1: bad arguments / unusable source, 2: port cannot be bound, 3: source pipeline failed
    while running.

Sources:
  * no --file: videotestsrc is-live=true pattern=<pattern> (moving ball by default), WxH@fps.
  * --file PATH: decoded (decodebin) and re-encoded to H.264, so any container/codec that
    GStreamer can decode works and key frames come every ~1 s (clients can join at any time).
    Without --loop the file is played once per media (from the start when the first client
    connects; the stream ends with EOS).  With --loop a single "camera" pipeline decodes the
    file in real time from server start, seeking back to 0 at EOS, and feeds every connected
    media through an appsrc (like a live camera: clients see the current position).
  * The media is shared (set_shared(True)): several clients read the same encoded stream.
"""

import argparse
import ctypes
import os
import signal
import stat
import sys
import threading

# Until the GLib handlers are installed (importing GStreamer takes ~0.1 s), SIGTERM/SIGINT still
# mean "exit cleanly with code 0".
signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
signal.signal(signal.SIGINT, lambda *_: os._exit(0))

try:
    import gi

    gi.require_version("Gst", "1.0")
    gi.require_version("GstRtspServer", "1.0")
    gi.require_version("GstRtsp", "1.0")
    gi.require_version("GstPbutils", "1.0")
    from gi.repository import GLib, Gst, GstPbutils, GstRtsp, GstRtspServer
except (ImportError, ValueError) as exc:  # pragma: no cover - environment problem
    sys.stderr.write(
        "ERROR: GStreamer python bindings not available (%s). Run with /usr/bin/python3 and "
        "install python3-gi gir1.2-gst-rtsp-server-1.0.\n" % exc
    )
    sys.exit(1)

PR_SET_PDEATHSIG = 1
PDEATH_SIGNAL = signal.SIGUSR1  # distinct from SIGTERM so we can tell a parent-thread exit apart


def log(msg):
    try:
        sys.stderr.write("rtsp_server: %s\n" % msg)
        sys.stderr.flush()
    except Exception:
        pass


def hard_exit(code):
    try:
        sys.stdout.flush()
    except Exception:
        pass
    try:
        sys.stderr.flush()
    except Exception:
        pass
    os._exit(code)


def fail(code, msg):
    log("ERROR: " + msg)
    hard_exit(code)


def parse_args(argv):
    p = argparse.ArgumentParser(description="GStreamer RTSP test server (H.264)")
    p.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0 = pick a free port)")
    p.add_argument("--mount", default="stream", help="mount point (default: stream)")
    p.add_argument("--file", help="video file to serve (decoded and re-encoded to H.264)")
    p.add_argument("--loop", action="store_true", help="loop --file forever (live, camera-like)")
    p.add_argument("--width", type=int, help="output width (pattern default 640; file default native)")
    p.add_argument("--height", type=int, help="output height (pattern default 360; file default native)")
    p.add_argument("--fps", type=int, help="output frame rate (pattern default 10; file default native)")
    p.add_argument("--pattern", default="ball", help="videotestsrc pattern when no --file (default ball)")
    p.add_argument("--bitrate", type=int, default=0, help="x264enc bitrate in kbit/s (0 = auto from size)")
    p.add_argument("--user", help="require RTSP authentication with this user name")
    p.add_argument("--password", help="password for --user")
    p.add_argument("--auth-method", choices=("basic", "digest"), default="basic")
    p.add_argument("--stdin-watch", choices=("auto", "yes", "no"), default="auto",
                   help="exit when stdin reaches EOF (auto: only if stdin is a pipe/socket)")
    p.add_argument("--no-pdeathsig", action="store_true", help="do not use prctl(PR_SET_PDEATHSIG)")
    p.add_argument("--verbose", action="store_true", help="log clients and warnings to stderr")
    a = p.parse_args(argv)
    if not 0 <= a.port <= 65535:
        p.error("--port must be 0..65535")
    if (a.user is None) != (a.password is None):
        p.error("--user and --password must be given together")
    if a.loop and not a.file:
        p.error("--loop requires --file")
    for name in ("width", "height", "fps"):
        v = getattr(a, name)
        if v is not None and v <= 0:
            p.error("--%s must be positive" % name)
    a.mount = "/" + a.mount.strip("/")
    if a.mount == "/":
        p.error("--mount must not be empty")
    return a


# ----------------------------------------------------------------------------------------------
# lifetime: signals, parent death, stdin EOF
# ----------------------------------------------------------------------------------------------
class Lifetime:
    def __init__(self, loop, args):
        self.loop = loop
        self.exit_code = 0
        self.quitting = False
        self.original_ppid = os.getppid()
        for sig in (signal.SIGTERM, signal.SIGINT):
            GLib.unix_signal_add(GLib.PRIORITY_HIGH, sig, self._on_term, sig)
        if not args.no_pdeathsig:
            self._setup_pdeathsig()
        if self._should_watch_stdin(args.stdin_watch):
            GLib.io_add_watch(GLib.IOChannel.unix_new(0), GLib.PRIORITY_DEFAULT,
                              GLib.IOCondition.IN | GLib.IOCondition.HUP | GLib.IOCondition.ERR,
                              self._on_stdin)

    def quit(self, code=0):
        self.exit_code = code
        self.quitting = True  # also covers a signal that arrives before loop.run()
        self.loop.quit()

    def _on_term(self, sig):
        log("signal %d received, exiting" % sig)
        self.quit(0)
        return GLib.SOURCE_REMOVE

    def _setup_pdeathsig(self):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_PDEATHSIG, int(PDEATH_SIGNAL), 0, 0, 0) != 0:
                log("warning: prctl(PR_SET_PDEATHSIG) failed: errno %d" % ctypes.get_errno())
                return
        except Exception as exc:  # non-Linux
            log("warning: PR_SET_PDEATHSIG unavailable: %s" % exc)
            return
        GLib.unix_signal_add(GLib.PRIORITY_HIGH, int(PDEATH_SIGNAL), self._on_pdeath)
        if os.getppid() != self.original_ppid:  # parent died before prctl took effect
            hard_exit(0)

    def _on_pdeath(self):
        # The signal is also sent when the *thread* that forked us exits (the process is then
        # re-parented to another thread of the same process, so getppid() does not change).
        if os.getppid() != self.original_ppid:
            log("parent process died, exiting")
            self.quit(0)
        return GLib.SOURCE_CONTINUE

    @staticmethod
    def _should_watch_stdin(mode):
        if mode == "no":
            return False
        try:
            st = os.fstat(0)
        except OSError:
            return False
        if mode == "yes":
            return True
        return stat.S_ISFIFO(st.st_mode) or stat.S_ISSOCK(st.st_mode)

    def _on_stdin(self, channel, condition):
        try:
            data = os.read(0, 65536)
        except OSError:
            data = b""
        if data:
            return True  # ignore input, keep watching
        log("stdin closed, exiting")
        self.quit(0)
        return False


# ----------------------------------------------------------------------------------------------
# sources
# ----------------------------------------------------------------------------------------------
def make(factory, name=None, **props):
    e = Gst.ElementFactory.make(factory, name)
    if e is None:
        raise RuntimeError("GStreamer element '%s' not available (missing plugin package?)" % factory)
    for k, v in props.items():
        e.set_property(k.replace("_", "-"), v)
    return e


def raw_caps(width, height, fps):
    s = "video/x-raw,format=I420"
    if width:
        s += ",width=%d" % width
    if height:
        s += ",height=%d" % height
    if fps:
        s += ",framerate=%d/1" % fps
    return Gst.Caps.from_string(s)


def add_encoder(bin_, upstream, fps, width, height, bitrate, live=True):
    """upstream (raw video) -> queue -> videoconvert -> x264enc -> rtph264pay name=pay0; all added to bin_."""
    gop = max(1, int(round(fps or 10)))
    if not bitrate:
        px = (width or 640) * (height or 360)
        bitrate = max(500, min(8000, int(px * (fps or 10) * 0.1 / 1000)))  # ~0.1 bit/pixel
    queue = make("queue", max_size_buffers=3, max_size_bytes=0, max_size_time=0)
    if live:
        Gst.util_set_object_arg(queue, "leaky", "downstream")  # drop old frames, never block
    conv = make("videoconvert")
    enc = make("x264enc", key_int_max=gop, bitrate=bitrate)
    Gst.util_set_object_arg(enc, "speed-preset", "ultrafast")
    Gst.util_set_object_arg(enc, "tune", "zerolatency")
    # zerolatency turns on sliced threads (several slices per frame); FFmpeg's RTP depacketizer
    # then splits fragmented IDR frames and reports "concealing ... errors in I frame".
    enc.set_property("sliced-threads", False)
    caps = make("capsfilter", caps=Gst.Caps.from_string("video/x-h264,profile=constrained-baseline,stream-format=byte-stream,alignment=au"))
    pay = make("rtph264pay", "pay0", pt=96, config_interval=-1)
    for e in (queue, conv, enc, caps, pay):
        bin_.add(e)
    if not (upstream.link(queue) and queue.link(conv) and conv.link(enc) and enc.link(caps) and caps.link(pay)):
        raise RuntimeError("failed to link encoder chain")
    return conv


def build_decode_chain(bin_, path, width, height, fps):
    """filesrc -> decodebin -> videoconvert -> videoscale -> videorate -> capsfilter.
    Returns the capsfilter (the tail); decodebin's video pad is linked dynamically."""
    src = make("filesrc", location=path)
    dec = make("decodebin")
    conv = make("videoconvert")
    scale = make("videoscale")
    rate = make("videorate")
    caps = make("capsfilter", caps=raw_caps(width, height, fps))
    for e in (src, dec, conv, scale, rate, caps):
        bin_.add(e)
    if not (src.link(dec) and conv.link(scale) and scale.link(rate) and rate.link(caps)):
        raise RuntimeError("failed to link decoder chain")
    sinkpad = conv.get_static_pad("sink")

    def on_pad_added(_dec, pad):
        c = pad.get_current_caps() or pad.query_caps(None)
        if c.get_size() and c.get_structure(0).get_name().startswith("video/") and not sinkpad.is_linked():
            if pad.link(sinkpad) != Gst.PadLinkReturn.OK:
                log("ERROR: cannot link decoded video pad (%s)" % c.to_string())

    dec.connect("pad-added", on_pad_added)
    return caps


def discover(path):
    """Validate the file and return (width, height, fps) of its first video stream."""
    if not os.path.isfile(path):
        raise RuntimeError("file not found: %s" % path)
    disc = GstPbutils.Discoverer.new(10 * Gst.SECOND)
    info = disc.discover_uri(Gst.filename_to_uri(os.path.abspath(path)))  # raises GLib.Error
    videos = info.get_video_streams()
    if not videos:
        raise RuntimeError("no video stream in %s" % path)
    v = videos[0]
    fps = None
    if v.get_framerate_denom() and v.get_framerate_num():
        fps = v.get_framerate_num() / float(v.get_framerate_denom())
    return v.get_width(), v.get_height(), fps


class LoopingFileSource:
    """One real-time decode pipeline ("the camera") that loops the file and fans frames out to
    the appsrc of every currently prepared RTSP media."""

    def __init__(self, path, width, height, fps, lifetime):
        self.lifetime = lifetime
        self.appsrcs = []
        self.lock = threading.Lock()
        self.caps = None
        self.first_frame = threading.Event()
        self.frame_duration = Gst.CLOCK_TIME_NONE
        self.ready = False
        self.pipeline = Gst.Pipeline.new("camera")
        tail = build_decode_chain(self.pipeline, path, width, height, fps)
        sink = make("appsink", "sink", sync=True, max_buffers=2, drop=True, emit_signals=True)
        self.pipeline.add(sink)
        tail.link(sink)
        sink.connect("new-sample", self._on_sample)
        bus = self.pipeline.get_bus()
        bus.add_signal_watch()
        bus.connect("message::eos", self._on_eos)
        bus.connect("message::error", self._on_error)
        self.error = None

    def start(self, timeout_s=15.0):
        if self.pipeline.set_state(Gst.State.PLAYING) == Gst.StateChangeReturn.FAILURE:
            raise RuntimeError("cannot start decode pipeline")
        ctx = GLib.MainContext.default()
        deadline = GLib.get_monotonic_time() + int(timeout_s * 1e6)
        while not self.first_frame.is_set() and self.error is None:
            if GLib.get_monotonic_time() > deadline:
                raise RuntimeError("timed out waiting for the first decoded frame")
            ctx.iteration(False)
            self.first_frame.wait(0.01)
        if self.error is not None:
            raise RuntimeError(self.error)
        self.ready = True

    def stop(self):
        self.pipeline.set_state(Gst.State.NULL)

    def _on_sample(self, sink):
        sample = sink.emit("pull-sample")
        if sample is None:
            return Gst.FlowReturn.OK
        if self.caps is None:
            self.caps = sample.get_caps()
            s = self.caps.get_structure(0)
            ok, num, den = s.get_fraction("framerate")
            if ok and num > 0:
                self.frame_duration = Gst.util_uint64_scale(Gst.SECOND, den, num)
            self.first_frame.set()
        buf = sample.get_buffer()
        with self.lock:
            targets = list(self.appsrcs)
        for appsrc in targets:
            clock = appsrc.get_clock()
            if clock is None:
                continue  # media not running yet
            out = buf.copy()  # shallow: shares the memory, own metadata
            out.pts = out.dts = max(0, clock.get_time() - appsrc.get_base_time())
            out.duration = self.frame_duration
            appsrc.emit("push-buffer", out)
        return Gst.FlowReturn.OK

    def _on_eos(self, _bus, _msg):
        if not self.pipeline.seek_simple(Gst.Format.TIME, Gst.SeekFlags.FLUSH | Gst.SeekFlags.KEY_UNIT, 0):
            log("ERROR: seek to start failed while looping")
            self.lifetime.quit(3)

    def _on_error(self, _bus, msg):
        err, dbg = msg.parse_error()
        text = "%s: %s (%s)" % (msg.src.get_path_string() if msg.src else "?", err.message, dbg)
        log("ERROR: source pipeline: " + text)
        if not self.ready:
            self.error = text
        else:
            self.lifetime.quit(3)

    # media bookkeeping -------------------------------------------------------------------------
    def attach(self, appsrc):
        appsrc.set_property("caps", self.caps)
        with self.lock:
            self.appsrcs.append(appsrc)

    def detach(self, appsrc):
        with self.lock:
            if appsrc in self.appsrcs:
                self.appsrcs.remove(appsrc)


class Factory(GstRtspServer.RTSPMediaFactory):
    def __init__(self, args, width, height, fps, looper):
        GstRtspServer.RTSPMediaFactory.__init__(self)
        self.args, self.width, self.height, self.fps, self.looper = args, width, height, fps, looper
        self.set_shared(True)
        self.connect("media-configure", self._on_media_configure)

    def do_create_element(self, url):
        try:
            return self._build()
        except Exception as exc:
            log("ERROR: cannot build media pipeline: %s" % exc)
            return None

    def _build(self):
        a = self.args
        bin_ = Gst.Bin.new("media")
        if self.looper is not None:
            src = make("appsrc", "src", is_live=True, format=Gst.Format.TIME, block=False,
                       max_bytes=max(1, self.width * self.height * 3 // 2) * 4)
            if src.find_property("leaky-type") is not None:  # GStreamer >= 1.20
                Gst.util_set_object_arg(src, "leaky-type", "downstream")  # drop oldest when full
            bin_.add(src)
            add_encoder(bin_, src, self.fps, self.width, self.height, a.bitrate)
        elif a.file:
            tail = build_decode_chain(bin_, a.file, a.width, a.height, a.fps)
            add_encoder(bin_, tail, self.fps, self.width, self.height, a.bitrate, live=False)
        else:
            src = make("videotestsrc", is_live=True)
            Gst.util_set_object_arg(src, "pattern", a.pattern)
            caps = make("capsfilter", caps=raw_caps(self.width, self.height, self.fps))
            bin_.add(src)
            bin_.add(caps)
            src.link(caps)
            add_encoder(bin_, caps, self.fps, self.width, self.height, a.bitrate)
        return bin_

    def _on_media_configure(self, _factory, media):
        element = media.get_element()
        pipeline = element.get_parent()
        if pipeline is not None:
            bus = pipeline.get_bus()
            bus.enable_sync_message_emission()
            bus.connect("sync-message::error", self._on_media_error)
            if self.args.verbose:
                bus.connect("sync-message::warning", self._on_media_warning)
        if self.looper is not None:
            appsrc = element.get_by_name("src")
            self.looper.attach(appsrc)
            media.connect("unprepared", lambda _m: self.looper.detach(appsrc))

    @staticmethod
    def _on_media_error(_bus, msg):
        err, dbg = msg.parse_error()
        log("ERROR: media pipeline: %s: %s (%s)" % (msg.src.get_path_string() if msg.src else "?", err.message, dbg))

    @staticmethod
    def _on_media_warning(_bus, msg):
        err, dbg = msg.parse_warning()
        log("warning: media pipeline: %s (%s)" % (err.message, dbg))


def setup_auth(server, factory, args):
    auth = GstRtspServer.RTSPAuth()
    token = GstRtspServer.RTSPToken()
    token.set_string("media.factory.role", "user")
    if args.auth_method == "digest":
        auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
        auth.add_digest(args.user, args.password, token)
    else:
        auth.set_supported_methods(GstRtsp.RTSPAuthMethod.BASIC)
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic(args.user, args.password), token)
    server.set_auth(auth)
    role = Gst.Structure.from_string("user, media.factory.access=(boolean)true, media.factory.construct=(boolean)true")
    if isinstance(role, tuple):  # without gst-python overrides: (structure, end)
        role = role[0]
    factory.add_role_from_structure(role)


def main(argv):
    args = parse_args(argv)
    Gst.init(None)
    for el in ("x264enc", "rtph264pay", "videoconvert", "videotestsrc", "decodebin", "appsrc", "appsink"):
        if Gst.ElementFactory.find(el) is None:
            fail(1, "GStreamer element '%s' missing (install gstreamer1.0-plugins-base/good/ugly)" % el)

    loop = GLib.MainLoop()
    lifetime = Lifetime(loop, args)

    width, height, fps = args.width, args.height, args.fps
    looper = None
    try:
        if args.file:
            fw, fh, ffps = discover(args.file)
            width = width or fw
            height = height or fh
            fps = fps or ffps or 25
            if args.loop:
                looper = LoopingFileSource(args.file, args.width, args.height, args.fps, lifetime)
                looper.start()
        else:
            width, height, fps = width or 640, height or 360, fps or 10
    except GLib.Error as exc:
        fail(1, "cannot use %s: %s" % (args.file, exc.message))
    except Exception as exc:
        fail(1, "cannot use %s: %s" % (args.file, exc))

    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    factory = Factory(args, width, height, fps, looper)
    if args.user is not None:
        setup_auth(server, factory, args)
    server.get_mount_points().add_factory(args.mount, factory)
    if args.verbose:
        server.connect("client-connected",
                       lambda _s, c: log("client connected from %s" % c.get_connection().get_ip()))
    try:
        source = server.create_source(None)  # creates + binds + listens; raises on failure
    except GLib.Error as exc:
        fail(2, "cannot listen on 127.0.0.1:%d: %s" % (args.port, exc.message))
    source.attach(None)
    port = server.get_bound_port()
    if port <= 0:
        fail(2, "server socket has no bound port")

    try:
        sys.stdout.write("READY rtsp://127.0.0.1:%d%s\n" % (port, args.mount))
        sys.stdout.flush()
    except (BrokenPipeError, OSError):
        pass  # parent stopped reading stdout; still serve (stdin/pdeathsig handle parent death)
    if args.verbose:
        log("serving %s %dx%d@%s on port %d" % (args.file or ("videotestsrc " + args.pattern),
                                                 width, height, fps, port))

    # run; a hard exit guarantees we never hang in GStreamer/interpreter teardown
    try:
        if not lifetime.quitting:
            loop.run()
    except KeyboardInterrupt:
        pass
    watchdog = threading.Timer(3.0, hard_exit, args=(lifetime.exit_code,))
    watchdog.daemon = True
    watchdog.start()
    if looper is not None:
        looper.stop()
    hard_exit(lifetime.exit_code)


if __name__ == "__main__":
    main(sys.argv[1:])
