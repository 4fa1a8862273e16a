// Tests start real ffmpeg and GStreamer processes on a shared 2-core machine and check the process table for
// leftover children; running them one at a time keeps both the timing and the process checks meaningful.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
