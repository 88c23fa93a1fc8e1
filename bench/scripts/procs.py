"""Process and port helpers shared by the benchmark scripts (one copy, so every script measures alike).

CPU and RSS come from /proc (Linux); ports are probed by binding on 127.0.0.1.
"""
import os, socket, subprocess

TICK = os.sysconf("SC_CLK_TCK")


def free_base_port(nodes):
    """A base port whose nodes x 20 ports are all free on 127.0.0.1 (local-cluster.sh's layout)."""
    for _ in range(200):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base < 1024 or base > 64000 - 20 * nodes:
            continue
        socks = []
        try:
            for p in range(base, base + 20 * nodes):
                s = socket.socket()
                socks.append(s)
                s.bind(("127.0.0.1", p))
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise SystemExit("no free range of ports")


def cpu_seconds(pid):
    """User + system CPU seconds the process used so far (/proc/PID/stat)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def loadavg():
    return round(os.getloadavg()[0], 2)


def stop(proc, timeout=15):
    """SIGTERM, then SIGKILL if the process has not exited after timeout seconds."""
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
