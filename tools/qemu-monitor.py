#!/usr/bin/env python3
"""qemu-monitor.py - send commands to a QEMU human monitor on a Unix socket.

    tools/qemu-monitor.py SOCKET COMMAND... ("sleep SECONDS" pauses)

Each command waits for QEMU's "(qemu)" prompt after it, so a screendump has
been written when the next command goes out. Exit 1 if QEMU does not answer.
"""
import socket
import sys
import time


def until_prompt(s):
    buf = b""
    while not buf.rstrip().endswith(b"(qemu)"):
        chunk = s.recv(4096)
        if not chunk:
            return False
        buf += chunk
    return True


def main():
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(30)
    try:
        s.connect(sys.argv[1])
        if not until_prompt(s):
            return 1
        for cmd in sys.argv[2:]:
            if cmd.startswith("sleep "):
                time.sleep(float(cmd[6:]))
                continue
            s.sendall(cmd.encode() + b"\n")
            if not until_prompt(s) and cmd != "quit":
                return 1
    except OSError as e:
        print(f"qemu-monitor: {e}", file=sys.stderr)
        return 1
    return 0


sys.exit(main())
