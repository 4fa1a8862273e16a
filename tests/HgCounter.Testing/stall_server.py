#!/usr/bin/python3
"""A "hung camera": a TCP server on 127.0.0.1 that accepts connections and never sends a byte.

    python3 stall_server.py [--port 0]

Prints exactly one line "READY <port>" (flushed) once listening.  Incoming data is read and
discarded (so clients never block on a full socket buffer); connections stay open until the
client closes them.  Exits 0 on SIGTERM/SIGINT, when stdin reaches EOF (only watched when stdin
is a pipe or socket; --stdin-watch yes|no overrides) or when the parent process dies
(PR_SET_PDEATHSIG, verified against the original ppid).  Exit 2 if the port cannot be bound.
Standard library only: works with any python3.
"""

import argparse
import ctypes
import os
import selectors
import signal
import socket
import stat
import sys

PR_SET_PDEATHSIG = 1


def main(argv):
    p = argparse.ArgumentParser(description="TCP server that accepts and never answers")
    p.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0 = pick a free port)")
    p.add_argument("--stdin-watch", choices=("auto", "yes", "no"), default="auto")
    p.add_argument("--no-pdeathsig", action="store_true")
    args = p.parse_args(argv)

    original_ppid = os.getppid()
    # self-pipe so signal handlers wake the selector
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    state = {"exit": False}

    def on_term(_sig, _frame):
        state["exit"] = True

    def on_pdeath(_sig, _frame):
        # also delivered when only the forking *thread* of the parent exits; ppid is unchanged then
        if os.getppid() != original_ppid:
            state["exit"] = True

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    if not args.no_pdeathsig:
        signal.signal(signal.SIGUSR1, on_pdeath)
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGUSR1), 0, 0, 0)
        except Exception:
            pass
        if os.getppid() != original_ppid:
            return 0

    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        srv.bind(("127.0.0.1", args.port))
        srv.listen(64)
    except OSError as exc:
        sys.stderr.write("stall_server: ERROR: cannot listen on 127.0.0.1:%d: %s\n" % (args.port, exc))
        return 2
    srv.setblocking(False)

    sel = selectors.DefaultSelector()
    sel.register(srv, selectors.EVENT_READ, "accept")
    sel.register(wake_r, selectors.EVENT_READ, "wake")
    watch_stdin = False
    if args.stdin_watch != "no":
        try:
            mode = os.fstat(0).st_mode
            watch_stdin = args.stdin_watch == "yes" or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)
        except OSError:
            watch_stdin = False
    if watch_stdin:
        sel.register(0, selectors.EVENT_READ, "stdin")

    try:
        sys.stdout.write("READY %d\n" % srv.getsockname()[1])
        sys.stdout.flush()
    except OSError:
        pass

    conns = set()
    while not state["exit"]:
        for key, _ in sel.select(timeout=1.0):
            what = key.data
            if what == "accept":
                try:
                    c, _addr = srv.accept()
                except OSError:
                    continue
                c.setblocking(False)
                conns.add(c)
                sel.register(c, selectors.EVENT_READ, "conn")
            elif what == "wake":
                try:
                    os.read(wake_r, 512)
                except OSError:
                    pass
            elif what == "stdin":
                try:
                    data = os.read(0, 65536)
                except OSError:
                    data = b""
                if not data:
                    state["exit"] = True
            else:  # client data: discard; close on EOF
                c = key.fileobj
                try:
                    data = c.recv(65536)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                if not data:
                    sel.unregister(c)
                    conns.discard(c)
                    c.close()
    for c in conns:
        c.close()
    srv.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
