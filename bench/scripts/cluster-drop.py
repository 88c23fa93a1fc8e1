#!/usr/bin/env python3
"""Cluster drop run: 3 local nodes, keysets dropped on node 1 one by one.

Usage: bench/scripts/cluster-drop.py [NODE_JAR] [BENCH_JAR] [DROPS]
  defaults: node/target/keepcluster-node.jar, bench/target/keepcluster-bench.jar, 20
Starts 3 nodes with deploy/local-cluster.sh on free ports of 127.0.0.1 (KEEP_BASE_PORT, a temporary
cluster folder, rolloverLeadSeconds 0), then DROPS times: makes one EC keyset (MakeKeysets, not
timed), copies its files into node 1's folder (descriptor last) and polls every node's /health
every 20 ms. Prints, per drop and as p50/p99/max: the time from the copy until every node lists
the keyset (verifying, published or signing) and until every node signs with it. Stops the
nodes it started (local-cluster.sh stop) and removes the folder.
"""
import json, os, shutil, subprocess, sys, tempfile, time, urllib.error, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from procs import free_base_port  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NODES = 3
VERIFYING = {"verifying", "published", "signing"}


def health(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as r:
            return json.loads(r.read())
    except urllib.error.HTTPError as e:
        return json.loads(e.read())  # 503 with its document while DEGRADED


def states(port, kid):
    return {k.get("state") for k in health(port).get("keysets", []) if k.get("kid") == kid}


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    jar = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "node/target/keepcluster-node.jar"))
    bench = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "bench/target/keepcluster-bench.jar"))
    drops = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    work = tempfile.mkdtemp(prefix="keepcluster-cluster-drop-")
    base = free_base_port(NODES)
    env = dict(os.environ, KEEP_LOCAL_CLUSTER_DIR=os.path.join(work, "cluster"), KEEP_BASE_PORT=str(base),
               KEEP_NODE_JAR=jar, KEEP_ROLLOVER_LEAD_SECONDS="0")
    script = os.path.join(ROOT, "deploy/local-cluster.sh")
    health_ports = [base + 20 * i + 6 for i in range(NODES)]
    conf1 = os.path.join(work, "cluster", "node1", "keepconfig.d")
    started = time.perf_counter()
    try:
        subprocess.run([script, "start", str(NODES)], env=env, check=True, stdout=subprocess.DEVNULL)
        print(json.dumps({"nodes": NODES, "base_port": base, "formation_s": round(time.perf_counter() - started, 1),
                          "loadavg": os.getloadavg()[0]}), flush=True)
        to_verify, to_sign = [], []
        for i in range(drops):
            kid = f"Drop{i:02d}x0"
            staging = os.path.join(work, f"stage{i}")
            # Age 0: younger than every keyset already there, so the signer rule picks it.
            subprocess.run(["java", "-cp", bench, "io.keepcluster.bench.MakeKeysets", staging, "1", "EC",
                            f"Drop{i:02d}x", "0"], check=True, stdout=subprocess.DEVNULL)
            files = sorted(os.listdir(staging), key=lambda f: f.endswith(".json"))  # descriptor last
            t0 = time.perf_counter()
            for f in files:
                shutil.copy(os.path.join(staging, f), os.path.join(conf1, f))
            verified_at = signed_at = None
            while signed_at is None:
                now_states = [states(p, kid) for p in health_ports]
                now = time.perf_counter() - t0
                if verified_at is None and all(s & VERIFYING for s in now_states):
                    verified_at = now
                if all("signing" in s for s in now_states):
                    signed_at = now
                    verified_at = verified_at or now
                if now > 60:
                    raise SystemExit(f"{kid}: not signing on every node after 60 s: {now_states}")
                time.sleep(0.02)
            to_verify.append(verified_at)
            to_sign.append(signed_at)
            print(json.dumps({"drop": kid, "verifying_everywhere_s": round(verified_at, 3),
                              "signing_everywhere_s": round(signed_at, 3)}), flush=True)
        print(json.dumps({
            "drops": drops, "loadavg_end": os.getloadavg()[0],
            "verify_p50_s": round(pct(to_verify, 50), 3), "verify_p99_s": round(pct(to_verify, 99), 3),
            "verify_max_s": round(max(to_verify), 3),
            "sign_p50_s": round(pct(to_sign, 50), 3), "sign_p99_s": round(pct(to_sign, 99), 3),
            "sign_max_s": round(max(to_sign), 3)}), flush=True)
    finally:
        subprocess.run([script, "stop"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
