#!/usr/bin/env python3
"""Cluster scale run: 1, 3 and 5 local nodes; formation time, RSS, idle CPU and drops per size.

Usage: bench/scripts/cluster-scale.py [SIZES...]        (default: 1 3 5)
  env: NODE_JAR, BENCH_JAR (defaults: the built jars of this checkout), IDLE_SECONDS (60),
       SETTLE_SECONDS (30), DROPS (3), PROFILE_NODE=I with PROFILE_DIR=DIR: record JFR
       (settings=profile, started with jcmd) on node I during the idle window, to DIR/nodesN-nodeI.jfr
       (that node's idle CPU then includes the recorder's own cost); LOGS_DIR=DIR keeps each node's log.
For each size: prepares a cluster folder (cluster secret, and the cluster keyset 'local-cluster' in
node 1's folder, as `deploy/local-cluster.sh start` would create it; and DROPS EC keysets to drop
later, each younger than the last; none of this is timed), then starts the nodes with
`deploy/local-cluster.sh start N` on free ports of 127.0.0.1 (launcher JVM defaults, no pinning,
rolloverLeadSeconds 0) and polls every node's /health every 50 ms. Measures:
  formation: first node process start (/proc/PID/stat) to every node ready AND signing with the
             cluster keyset; and each node's CPU seconds until then
  idle:      after SETTLE_SECONDS, each node's CPU over IDLE_SECONDS (utime+stime from /proc/PID/stat,
             in % of one core; also by thread name from /proc/PID/task) and its RSS at the end
  drops:     DROPS keysets copied one by one into node 1's folder (descriptor last): time until every
             node signs with it, p50 and max
Prints one JSON line per size (and per node) with the load average, appends a row per size to
bench/results/cluster-scale.csv (see results.py), stops the nodes it started and removes the folder.
"""
import json, os, re, secrets, shutil, socket, statistics, subprocess, sys, tempfile, time, urllib.error, \
    urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import results  # noqa: E402
from procs import cpu_seconds, free_base_port, rss_mib  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NODE_JAR = os.path.abspath(os.environ.get("NODE_JAR", os.path.join(ROOT, "node/target/keepcluster-node.jar")))
BENCH_JAR = os.path.abspath(os.environ.get("BENCH_JAR", os.path.join(ROOT, "bench/target/keepcluster-bench.jar")))
JAVA_OPTS = os.environ.get("JAVA_OPTS", "-Xms64m -Xmx192m -XX:+UseSerialGC -XX:MaxDirectMemorySize=64m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:-ShrinkHeapInSteps").split()
SCRIPT = os.path.join(ROOT, "deploy/local-cluster.sh")
KEYSET = "local-cluster"  # local-cluster.sh's cluster keyset name
TICK = os.sysconf("SC_CLK_TCK")
IDLE_SECONDS = int(os.environ.get("IDLE_SECONDS", "60"))
SETTLE_SECONDS = int(os.environ.get("SETTLE_SECONDS", "30"))
DROPS = int(os.environ.get("DROPS", "3"))


def proc_stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()


def started_at(pid):
    """Process start, in seconds since boot (the clock of uptime())."""
    return int(proc_stat(pid)[19]) / TICK


def uptime():
    with open("/proc/uptime") as f:
        return float(f.read().split()[0])


def thread_ticks(pid):
    """CPU ticks of each thread of pid, by thread id, with its name (/proc comm: 15 characters)."""
    found = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = f.read().strip()
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            found[tid] = (name, int(fields[11]) + int(fields[12]))
        except OSError:
            pass  # the thread ended
    return found


def busiest_threads(before, after, top=6):
    """CPU seconds between two thread_ticks snapshots, by thread name (trailing numbers folded)."""
    per_name = {}
    for tid, (name, ticks) in after.items():
        used = ticks - before.get(tid, (name, 0))[1]
        key = re.sub(r"[-#]?\d+$", "*", name)
        per_name[key] = per_name.get(key, 0) + used / TICK
    return {k: round(v, 2) for k, v in sorted(per_name.items(), key=lambda kv: -kv[1])[:top] if v > 0}


def health(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as r:
            return json.loads(r.read()), True
    except urllib.error.HTTPError as e:
        return json.loads(e.read()), False  # 503 with its document while not ready
    except (OSError, ValueError):
        return {}, False


def signing_ready(port, kid):
    doc, ok = health(port)
    return ok and doc.get("keys", {}).get("signing") == kid


def loadavg():
    return [round(x, 2) for x in os.getloadavg()]


def prepare(work, cluster, nodes):
    """The secrets file and node 1's cluster keyset, as local-cluster.sh's first start makes them."""
    os.makedirs(os.path.join(cluster, "node1", "keepconfig.d"))
    secret = subprocess.run(["java", *JAVA_OPTS, "-jar", NODE_JAR, "secret", "generate"], check=True,
                            capture_output=True, text=True).stdout.strip()
    path = os.path.join(cluster, "secrets.env")
    with open(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
        f.write(f"KEEP_CLUSTER_SECRET={secret}\nKEEP_ADMIN_PASSWORD={secrets.token_urlsafe(18)}\n"
                f"KEEP_MANAGEMENT_PASSWORD={secrets.token_urlsafe(18)}\n")
    subprocess.run(["java", *JAVA_OPTS, "-jar", NODE_JAR, "idp", "create", KEYSET, "--algorithm", "EC",
                    "--config-dir", os.path.join(cluster, "node1", "keepconfig.d")], check=True,
                   stdout=subprocess.DEVNULL)
    stages = []
    for i in range(DROPS):
        # A certificate's start has one-second precision: a second apart, each drop is the youngest.
        time.sleep(1.1)
        stage = os.path.join(work, f"drop{i}")
        subprocess.run(["java", "-cp", BENCH_JAR, "io.keepcluster.bench.MakeKeysets", stage, "1", "EC",
                        f"N{nodes}Drop{i}x", "0"], check=True, stdout=subprocess.DEVNULL)
        stages.append((stage, f"N{nodes}Drop{i}x0"))
    return stages


def pids_of(cluster, nodes):
    found = {}
    for i in range(1, nodes + 1):
        try:
            with open(os.path.join(cluster, f"node{i}", "pid")) as f:
                found[i] = int(f.read().strip())
        except (OSError, ValueError):
            pass
    return found


def jcmd(pid, *args):
    return subprocess.run(["jcmd", str(pid), *args], capture_output=True, text=True).stdout


def run(nodes):
    work = tempfile.mkdtemp(prefix="keepcluster-cluster-scale-")
    cluster = os.path.join(work, "cluster")
    base = free_base_port(nodes)
    env = dict(os.environ, KEEP_LOCAL_CLUSTER_DIR=cluster, KEEP_BASE_PORT=str(base), KEEP_NODE_JAR=NODE_JAR,
               KEEP_ROLLOVER_LEAD_SECONDS="0", KEEP_SHUTDOWN_DRAIN_SECONDS="1", KEEP_START_TIMEOUT="240",
               JAVA_OPTS=" ".join(JAVA_OPTS))
    health_ports = [base + 20 * i + 6 for i in range(nodes)]
    starter = None
    try:
        stages = prepare(work, cluster, nodes)
        load_start = loadavg()
        starter = subprocess.Popen([SCRIPT, "start", str(nodes)], env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        done = {}
        deadline = time.monotonic() + 240
        while len(done) < nodes:
            if starter.poll() not in (None, 0):
                raise SystemExit(f"local-cluster.sh start {nodes} failed:\n{starter.stdout.read()}")
            if starter.poll() == 0 and deadline > time.monotonic() + 20:
                deadline = time.monotonic() + 20  # the script saw every node signing: so must we, soon
            if time.monotonic() > deadline:
                raise SystemExit(f"{nodes} nodes not all signing with {KEYSET}: "
                                 + json.dumps([health(p)[0] for p in health_ports])[:2000])
            for i, port in enumerate(health_ports, start=1):
                if i not in done and signing_ready(port, KEYSET):
                    done[i] = uptime()
            time.sleep(0.05)
        starter.communicate(timeout=120)
        pids = pids_of(cluster, nodes)
        first_start = min(started_at(pid) for pid in pids.values())
        formed = max(done.values())
        formation_cpu = {i: cpu_seconds(pid) for i, pid in pids.items()}
        per_node_ready = {i: round(done[i] - started_at(pids[i]), 2) for i in pids}

        time.sleep(SETTLE_SECONDS)
        profile_node = int(os.environ.get("PROFILE_NODE", "0"))
        profile_file = None
        if profile_node and os.environ.get("PROFILE_DIR") and profile_node in pids:
            profile_file = os.path.join(os.path.abspath(os.environ["PROFILE_DIR"]), f"nodes{nodes}-node{profile_node}.jfr")
            os.makedirs(os.path.dirname(profile_file), exist_ok=True)
            jcmd(pids[profile_node], "JFR.start", "name=idle", "settings=profile", f"filename={profile_file}")
        threads0 = {i: thread_ticks(pid) for i, pid in pids.items()}
        c0 = {i: cpu_seconds(pid) for i, pid in pids.items()}
        t0 = time.monotonic()
        time.sleep(IDLE_SECONDS)
        elapsed = time.monotonic() - t0
        idle_cpu_s = {i: cpu_seconds(pid) - c0[i] for i, pid in pids.items()}
        rss = {i: rss_mib(pid) for i, pid in pids.items()}
        threads = {i: busiest_threads(threads0[i], thread_ticks(pid)) for i, pid in pids.items()}
        if profile_file:
            jcmd(pids[profile_node], "JFR.stop", "name=idle")
        idle_pct = {i: idle_cpu_s[i] / elapsed * 100 for i in pids}
        for i in sorted(pids):
            print(json.dumps({"nodes": nodes, "node": i, "ready_and_signing_s": per_node_ready[i],
                              "formation_cpu_s": round(formation_cpu[i], 2), "idle_rss_mib": round(rss[i]),
                              "idle_cpu_s": round(idle_cpu_s[i], 2), "idle_cpu_pct": round(idle_pct[i], 2),
                              "profiled": i == profile_node and profile_file is not None,
                              "busiest_threads_cpu_s": threads[i]}), flush=True)

        conf1 = os.path.join(cluster, "node1", "keepconfig.d")
        to_sign = []
        for stage, kid in stages:
            files = sorted(os.listdir(stage), key=lambda f: f.endswith(".json"))  # descriptor last
            t_drop = time.monotonic()
            for f in files:
                shutil.copy(os.path.join(stage, f), os.path.join(conf1, f))
            while not all(health(p)[0].get("keys", {}).get("signing") == kid for p in health_ports):
                if time.monotonic() - t_drop > 60:
                    raise SystemExit(f"{kid}: not signing on every node after 60 s")
                time.sleep(0.02)
            to_sign.append(time.monotonic() - t_drop)
        load_end = loadavg()
        row = {
            "nodes": nodes, "loadavg_start": load_start[0], "loadavg_end": load_end[0],
            "formation_s": round(formed - first_start, 2),
            "formation_cpu_s_mean": round(statistics.mean(formation_cpu.values()), 2),
            "idle_seconds": round(elapsed, 1),
            "idle_rss_mib_mean": round(statistics.mean(rss.values())), "idle_rss_mib_max": round(max(rss.values())),
            "idle_cpu_pct_mean": round(statistics.mean(idle_pct.values()), 2),
            "idle_cpu_pct_max": round(max(idle_pct.values()), 2),
            "idle_cpu_s_total": round(sum(idle_cpu_s.values()), 2),
            "drops": len(to_sign),
            "drop_to_signing_p50_s": round(statistics.median(to_sign), 3) if to_sign else "",
            "drop_to_signing_max_s": round(max(to_sign), 3) if to_sign else "",
            "profiled_node": profile_node if profile_file else "",
            # The commit column is the checkout's; a jar from elsewhere (a "before" build) is named here.
            "node_jar": "checkout" if NODE_JAR == os.path.join(ROOT, "node/target/keepcluster-node.jar") else NODE_JAR,
        }
        print(json.dumps(dict(row, loadavg_start=load_start, loadavg_end=load_end)), flush=True)
        if os.environ.get("RESULTS_DIR", "") != "-":
            results.record("cluster-scale", row)
        if profile_file:
            print(json.dumps({"jfr": profile_file}), flush=True)
    finally:
        if starter is not None and starter.poll() is None:
            starter.kill()
        subprocess.run([SCRIPT, "stop"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if os.environ.get("LOGS_DIR"):
            for i in range(1, nodes + 1):
                log = os.path.join(cluster, f"node{i}", "node.log")
                if os.path.exists(log):
                    os.makedirs(os.environ["LOGS_DIR"], exist_ok=True)
                    shutil.copy(log, os.path.join(os.environ["LOGS_DIR"], f"nodes{nodes}-node{i}.log"))
        shutil.rmtree(work, ignore_errors=True)


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [1, 3, 5]
    for nodes in sizes:
        run(nodes)


if __name__ == "__main__":
    main()
