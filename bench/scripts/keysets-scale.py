#!/usr/bin/env python3
"""Keyset scale run: one node with N keysets in its folder.

Usage: bench/scripts/keysets-scale.py NODE_JAR KEYSETS_DIR [DROP_DIR]
  KEYSETS_DIR holds N keysets (make them with io.keepcluster.bench.MakeKeysets);
  DROP_DIR holds one keyset with a younger certificate, copied in to time drop -> signer.
Prints start time (process start to the 'ports' line, and to /health/ready answering 200), JWKS size and
time, idle RSS and idle CPU over 20 s (IDLE_SECONDS to change), and drop -> signing time. The node runs pinned to core 0
with the launcher defaults (-Xms64m -Xmx192m -XX:+UseSerialGC -XX:MaxDirectMemorySize=64m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:-ShrinkHeapInSteps).
"""
import json, os, re, shutil, subprocess, sys, tempfile, time, urllib.error, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import results  # noqa: E402  (appends each run to bench/results/keysets-scale.csv for the graphs)
from procs import cpu_seconds, rss_mib, stop  # noqa: E402

EXTRA = os.environ.get("EXTRA_JAVA_OPTS", "").split()
JAVA_OPTS = os.environ.get("JAVA_OPTS", "-Xms64m -Xmx192m -XX:+UseSerialGC -XX:MaxDirectMemorySize=64m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:-ShrinkHeapInSteps").split()


def get(url, any_status=False):
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            body = r.read()
    except urllib.error.HTTPError as e:
        if not any_status:
            raise
        body = e.read()  # /health answers 503 with its document while DEGRADED
    return body, time.perf_counter() - started


def main():
    jar, keysets = sys.argv[1], sys.argv[2]
    drop = sys.argv[3] if len(sys.argv) > 3 else None
    work = tempfile.mkdtemp(prefix="keepcluster-scale-")
    conf = os.path.join(work, "keepconfig.d")
    shutil.copytree(keysets, conf)
    n = len([f for f in os.listdir(conf) if f.endswith(".json")])
    env = dict(os.environ, PORT="0", HEALTHCHECKPORT="0", MANAGMENTPORT="0", METRICSPORT="0",
               BIND="127.0.0.1", KEEP_ADMIN_PASSWORD="bench-admin-pw", KEEP_MANAGEMENT_PASSWORD="bench-mgmt-pw",
               KEEP_ROLLOVER_LEAD_SECONDS="0")
    started = time.perf_counter()
    node = subprocess.Popen(["taskset", "-c", "0", "java", *JAVA_OPTS, *EXTRA, "-jar", jar, "--config-dir", conf],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
    try:
        ports = None
        seen = []
        for line in node.stdout:
            seen = (seen + [line])[-8:]
            m = re.search(r"ports api=(\d+) health=(\d+)", line)
            if m:
                ports = (int(m.group(1)), int(m.group(2)))
                break
        if ports is None:
            raise SystemExit("node did not start: " + " | ".join(l.strip()[:200] for l in seen))
        # keep draining the log so the node never blocks on a full pipe
        import threading
        threading.Thread(target=lambda: [None for _ in node.stdout], daemon=True).start()
        api, health = ports
        ports_s = time.perf_counter() - started
        while True:
            try:
                get(f"http://127.0.0.1:{health}/health/ready")
                break
            except Exception:
                if time.perf_counter() - started > 300:
                    raise SystemExit("node never ready")
                time.sleep(0.05)
        start_s = time.perf_counter() - started
        start_cpu_s = cpu_seconds(node.pid)
        body, first = get(f"http://127.0.0.1:{api}/.well-known/jwks.json")
        times = [get(f"http://127.0.0.1:{api}/.well-known/jwks.json")[1] for _ in range(5)]
        time.sleep(10)
        t0, c0 = time.perf_counter(), cpu_seconds(node.pid)
        time.sleep(int(os.environ.get("IDLE_SECONDS", "20")))
        idle_cpu = (cpu_seconds(node.pid) - c0) / (time.perf_counter() - t0) * 100
        rss = rss_mib(node.pid)
        result = {"keysets": n, "ports_s": round(ports_s, 2), "start_s": round(start_s, 2), "start_cpu_s": round(start_cpu_s, 2), "jwks_bytes": len(body),
                  "jwks_first_ms": round(first * 1000, 1), "jwks_median_ms": round(sorted(times)[2] * 1000, 1),
                  "idle_rss_mib": round(rss), "idle_cpu_pct": round(idle_cpu, 2)}
        if drop:
            kid = [f[:-5] for f in os.listdir(drop) if f.endswith(".json")][0]
            dropped = time.perf_counter()
            dropped_cpu = cpu_seconds(node.pid)
            for f in sorted(os.listdir(drop), key=lambda f: f.endswith(".json")):  # descriptor last
                shutil.copy(os.path.join(drop, f), os.path.join(conf, f))
            while True:
                doc = json.loads(get(f"http://127.0.0.1:{health}/health", any_status=True)[0])
                if any(k.get("kid") == kid and k.get("state") == "signing" for k in doc.get("keysets", [])):
                    break
                if time.perf_counter() - dropped > 60:
                    raise SystemExit("dropped keyset never signed")
                time.sleep(0.02)
            result["drop_to_signer_s"] = round(time.perf_counter() - dropped, 2)
            result["drop_cpu_s"] = round((cpu_seconds(node.pid) - dropped_cpu), 2)
        doc = json.loads(get(f"http://127.0.0.1:{health}/health", any_status=True)[0])
        result["status"] = doc.get("status")
        print(json.dumps(result), flush=True)
        results.record("keysets-scale", result)
        if os.environ.get("HOLD_SECONDS"):
            time.sleep(int(os.environ["HOLD_SECONDS"]))
    finally:
        stop(node)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
