#!/usr/bin/env python3
"""Does JWKS polling move token verification's latency? One node with N keysets in its folder.

Usage: bench/scripts/jwks-polling.py NODE_JAR KEYSETS_DIR
  KEYSETS_DIR holds N keysets (io.keepcluster.bench.MakeKeysets; 1,000 RSA-2048 make a 1.5 MB JWKS).

The node runs pinned to core 0 with the launcher defaults; wrk (core 1, one thread, 32 connections,
10 s) sends one login token to GET /api/v1/userinfo. Each round runs wrk twice: once alone, once while
a poller (also on core 1) fetches the whole JWKS document POLLS_PER_SECOND times a second
(default 5) with no If-None-Match, so every poll transfers the full document (the worst case).
Prints req/s and p50/p99 of both, per round (ROUNDS, default 3), and the medians.
"""
import json, os, re, shutil, statistics, subprocess, sys, tempfile, threading, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from procs import stop  # noqa: E402

JAVA_OPTS = os.environ.get("JAVA_OPTS", "-Xms64m -Xmx192m -XX:+UseSerialGC -XX:MaxDirectMemorySize=64m "
                           "-XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:-ShrinkHeapInSteps").split()
ROUNDS = int(os.environ.get("ROUNDS", "3"))
POLLS = float(os.environ.get("POLLS_PER_SECOND", "5"))
SECONDS = os.environ.get("SECONDS_PER_RUN", "10")
PASSWORD = "bench-admin-pw"


def millis(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url, token):
    cmd = ["taskset", "-c", "1", "wrk", "-t1", "-c32", "-d" + SECONDS + "s", "--latency",
           "-H", "Authorization: Bearer " + token, url]
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    if "Non-2xx" in out:
        raise SystemExit("failed responses:\n" + out)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = millis(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = millis(re.search(r"\s99%\s+(\S+)", out).group(1))
    return rps, p50, p99


class Poller(threading.Thread):
    """Fetches the whole JWKS document POLLS times a second until stopped."""

    def __init__(self, url):
        super().__init__(daemon=True)
        self.url, self.stop, self.polls, self.bytes, self.slowest = url, threading.Event(), 0, 0, 0.0

    def run(self):
        os.sched_setaffinity(0, {1})
        period = 1.0 / POLLS
        next_at = time.perf_counter()
        while not self.stop.is_set():
            started = time.perf_counter()
            with urllib.request.urlopen(self.url, timeout=30) as r:
                self.bytes = len(r.read())
            self.slowest = max(self.slowest, time.perf_counter() - started)
            self.polls += 1
            next_at += period
            self.stop.wait(max(0.0, next_at - time.perf_counter()))


def main():
    jar, keysets = sys.argv[1], sys.argv[2]
    work = tempfile.mkdtemp(prefix="keepcluster-jwks-")
    conf = os.path.join(work, "keepconfig.d")
    shutil.copytree(keysets, conf)
    env = dict(os.environ, PORT="0", HEALTHCHECKPORT="0", MANAGMENTPORT="0", METRICSPORT="0",
               BIND="127.0.0.1", KEEP_ADMIN_PASSWORD=PASSWORD, KEEP_MANAGEMENT_PASSWORD="bench-mgmt-pw")
    node = subprocess.Popen(["taskset", "-c", "0", "java", *JAVA_OPTS, "-jar", jar, "--config-dir", conf],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
    try:
        api = health = None
        for line in node.stdout:
            m = re.search(r"ports api=(\d+) health=(\d+)", line)
            if m:
                api, health = int(m.group(1)), int(m.group(2))
                break
        if api is None:
            raise SystemExit("node did not start")
        threading.Thread(target=lambda: [None for _ in node.stdout], daemon=True).start()
        deadline = time.time() + 300
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{health}/health/ready", timeout=5).read()
                break
            except Exception:
                if time.time() > deadline:
                    raise SystemExit("node never ready")
                time.sleep(0.2)
        login = urllib.request.Request(f"http://127.0.0.1:{api}/api/v1/auth", method="POST",
                                       data=json.dumps({"username": "admin", "password": PASSWORD}).encode(),
                                       headers={"Content-Type": "application/json"})
        token = json.loads(urllib.request.urlopen(login, timeout=30).read())["bearer"]
        userinfo = f"http://127.0.0.1:{api}/api/v1/userinfo"
        jwks = f"http://127.0.0.1:{api}/.well-known/jwks.json"
        wrk(userinfo, token)  # warm-up, not reported
        alone, polled = [], []
        print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        for round_ in range(1, ROUNDS + 1):
            alone.append(wrk(userinfo, token))
            poller = Poller(jwks)
            poller.start()
            polled.append(wrk(userinfo, token))
            poller.stop.set()
            poller.join()
            print(f"round {round_}: alone {alone[-1][0]:,.0f} req/s p50 {alone[-1][1]:.2f} ms p99 "
                  f"{alone[-1][2]:.2f} ms | with {poller.polls} JWKS polls of {poller.bytes:,} bytes "
                  f"(slowest {poller.slowest * 1000:.0f} ms): {polled[-1][0]:,.0f} req/s p50 "
                  f"{polled[-1][1]:.2f} ms p99 {polled[-1][2]:.2f} ms", flush=True)
        print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        for name, runs in (("alone", alone), (f"with {POLLS:g} JWKS polls/s", polled)):
            print(f"| {name} | {statistics.median(r[0] for r in runs):,.0f} | "
                  f"{statistics.median(r[1] for r in runs):.2f} ms | {statistics.median(r[2] for r in runs):.2f} ms |")
    finally:
        stop(node)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
