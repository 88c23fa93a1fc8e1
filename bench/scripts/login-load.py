#!/usr/bin/env python3
"""Login throughput and RSS: one node (pinned to core 0, launcher JVM defaults), wrk on core 1
posting logins of the bootstrap admin (Argon2id m=19456 KiB t=2) for 20 s at 1, 2 and 32
connections. Prints idle RSS, logins/s, 503s (hashing queue full) and the highest RSS seen.

Usage: bench/scripts/login-load.py NODE_JAR
"""
import json, os, re, shutil, subprocess, sys, tempfile, threading, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from procs import rss_mib, stop  # noqa: E402

JAVA_OPTS = os.environ.get("JAVA_OPTS", "-Xms64m -Xmx192m -XX:+UseSerialGC -XX:MaxDirectMemorySize=64m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:-ShrinkHeapInSteps").split()
LUA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "login.lua")
PASSWORD = "bench-admin-pw"


def main():
    jar = sys.argv[1]
    work = tempfile.mkdtemp(prefix="keepcluster-login-")
    env = dict(os.environ, PORT="0", HEALTHCHECKPORT="0", MANAGMENTPORT="0", METRICSPORT="0", BIND="127.0.0.1",
               KEEP_ADMIN_PASSWORD=PASSWORD, KEEP_MANAGEMENT_PASSWORD="bench-mgmt-pw")
    node = subprocess.Popen(["taskset", "-c", "0", "java", *JAVA_OPTS, "-jar", jar, "--config-dir",
                             os.path.join(work, "keepconfig.d")], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env)
    try:
        api = health = None
        for line in node.stdout:
            m = re.search(r"ports api=(\d+) health=(\d+)", line)
            if m:
                api, health = int(m.group(1)), int(m.group(2))
                break
        threading.Thread(target=lambda: [None for _ in node.stdout], daemon=True).start()
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{health}/health/ready", timeout=5).read()
                break
            except Exception:
                time.sleep(0.1)
        time.sleep(10)
        result = {"idle_rss_mib": round(rss_mib(node.pid))}
        peak = [0.0]
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                peak[0] = max(peak[0], rss_mib(node.pid))
                time.sleep(0.2)

        threading.Thread(target=sample, daemon=True).start()
        for connections in (1, 2, 32):
            out = subprocess.run(["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}", "-d20s", "--latency",
                                  "-s", LUA, f"http://127.0.0.1:{api}/api/v1/auth"], capture_output=True, text=True,
                                 env=dict(os.environ, LOGIN_PASSWORD=PASSWORD)).stdout
            total = int(re.search(r"(\d+) requests in", out).group(1))
            failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            failed = int(failed.group(1)) if failed else 0
            p50 = re.search(r"50%\s+(\S+)", out).group(1)
            p99 = re.search(r"99%\s+(\S+)", out).group(1)
            result[f"c{connections}"] = {"logins_per_s": round((total - failed) / 20, 1), "refused_503": failed,
                                         "p50": p50, "p99": p99}
        stop.set()
        result["peak_rss_mib"] = round(peak[0])
        time.sleep(5)
        result["after_rss_mib"] = round(rss_mib(node.pid))
        print(json.dumps(result))
    finally:
        stop(node)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
