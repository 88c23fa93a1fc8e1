#!/usr/bin/env python3
"""Users join run: a node with an empty folder joins a cluster that holds N users.

Usage: bench/scripts/users-join.py [NODE_JAR] [N]     (defaults: node/target/keepcluster-node.jar, 100000)
Node 1 starts with a users.json of N users in the node's format (one Argon2id hash made by the
node's CLI, reused for every user; versioned, as the CLI writes them) and publishes them to the
grid; node 2 (empty folder) joins it; then node 3 (empty folder) joins the two, which makes a
3-node cluster. Every node is a real process on free ports of 127.0.0.1 with the cluster settings
deploy/local-cluster.sh gives (one cluster secret, every member listed) and the launcher JVM
defaults (JAVA_OPTS); nodes 1-2 are pinned to core 1, node 3 to core 0 (JOIN_JAVA_OPTS adds options
to node 3 only, e.g. a JFR recording). For nodes 2 and 3, prints: process start to /health/ready,
to a login of the last user answering 200, the node's CPU seconds until then, its RSS, its idle CPU
over IDLE_SECONDS (default 20, SETTLE_SECONDS = 30 after the join) and whether its log reports an OutOfMemoryError; plus node 1's
start and the load average. Stops every node it started and removes the folder (KEEP_WORK=1 keeps it).
"""
import json, os, re, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from procs import free_base_port  # noqa: E402
from userbench import (JAVA_OPTS, PASSWORD, cpu_s, loadavg, login, ms, ready, rss_mib, seed_hash, stop, username,
                       write_users)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NODES = 3


class Cluster:
    def __init__(self, jar, work, base):
        self.jar, self.work, self.base = jar, work, base
        self.secret = subprocess.run(["java", *JAVA_OPTS, "-jar", jar, "secret", "generate"], check=True,
                                     capture_output=True, text=True).stdout.strip()
        self.nodes = {}

    def port(self, i, offset):
        return self.base + 20 * (i - 1) + offset

    def conf(self, i):
        return os.path.join(self.work, f"node{i}", "keepconfig.d")

    def launch(self, i, core, extra=()):
        members = ",".join(f"127.0.0.1:{self.port(j, 15)}" for j in range(1, NODES + 1))
        env = dict(os.environ, PORT=str(self.port(i, 0)), HEALTHCHECKPORT=str(self.port(i, 6)),
                   MANAGMENTPORT=str(self.port(i, 9)), METRICSPORT=str(self.port(i, 10)), BIND="127.0.0.1",
                   KEEP_NODE_ID=f"node{i}", KEEP_CLUSTER_NAME="bench", KEEP_CLUSTER_INTERFACE="127.0.0.1",
                   KEEP_CLUSTER_PORT=str(self.port(i, 15)), KEEP_CLUSTER_MEMBERS=members,
                   KEEP_CLUSTER_SECRET=self.secret, KEEP_ADMIN_PASSWORD="bench-admin-pw",
                   KEEP_MANAGEMENT_PASSWORD="bench-mgmt-pw", KEEP_PUBLIC_URL=f"http://127.0.0.1:{self.port(1, 0)}")
        env.pop("MANAGEMENTPORT", None)
        os.makedirs(os.path.dirname(self.conf(i)), exist_ok=True)
        log = open(os.path.join(self.work, f"node{i}", "node.log"), "w")
        node = subprocess.Popen(["taskset", "-c", str(core), "java", *JAVA_OPTS, *extra, "-jar", self.jar,
                                 "--config-dir", self.conf(i)], stdout=log, stderr=subprocess.STDOUT, env=env)
        self.nodes[i] = node
        return node

    def log(self, i):
        with open(os.path.join(self.work, f"node{i}", "node.log"), errors="replace") as f:
            return f.read()

    def stop_all(self):
        for node in self.nodes.values():
            node.terminate()
        for node in self.nodes.values():
            try:
                node.wait(40)
            except subprocess.TimeoutExpired:
                node.kill()
                node.wait()


def live_heap_mib(pid):
    """Heap in use right after a full GC (jcmd GC.run, then GC.heap_info), or None if jcmd cannot attach."""
    try:
        subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, timeout=60, check=True)
        info = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True, timeout=60).stdout
        used = sum(int(k) for k in re.findall(r"used (\d+)K", info.split("Metaspace")[0]))
        return round(used / 1024)
    except Exception:
        return None


def join(cluster, i, core, last, extra=()):
    """Starts node i on an empty folder; times ready and the first login of the last user."""
    result = {"node": i, "loadavg_start": loadavg()}
    started = time.perf_counter()
    node = cluster.launch(i, core, extra)
    api, health = cluster.port(i, 0), cluster.port(i, 6)
    while not ready(health):
        if node.poll() is not None or time.perf_counter() - started > 300:
            summary_oom = "OutOfMemoryError" in cluster.log(i)
            raise SystemExit(f"node{i} never ready (OutOfMemoryError in its log: {summary_oom}) (exit {node.poll()}): " + cluster.log(i)[-2000:])
        time.sleep(0.05)
    result["ready_s"] = round(time.perf_counter() - started, 2)
    result["ready_cpu_s"] = round(cpu_s(node.pid), 2)
    tries = 0
    while True:
        tries += 1
        status, seconds = login(api, last)
        if status == 200:
            break
        if time.perf_counter() - started > 300:
            raise SystemExit(f"node{i}: login of {last} still {status} after 300 s")
        time.sleep(0.5)  # each try costs the node a full hash: do not hammer it
    result["login_ok_s"] = round(time.perf_counter() - started, 2)
    result["login_ok_cpu_s"] = round(cpu_s(node.pid), 2)
    result["login_tries"] = tries
    result["login_ms"] = ms(seconds)
    result["rss_mib_at_login"] = round(rss_mib(node.pid))
    return node, result


def main():
    jar = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "node/target/keepcluster-node.jar"))
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
    join_extra = os.environ.get("JOIN_JAVA_OPTS", "").split()
    work = tempfile.mkdtemp(prefix="keepcluster-users-join-")
    cluster = Cluster(jar, work, free_base_port(NODES))
    last = username(n - 1)
    try:
        hashed = seed_hash(jar)
        write_users(cluster.conf(1), n, hashed)
        started = time.perf_counter()
        summary = {"users": n, "java_opts": " ".join(JAVA_OPTS)}
        node1 = cluster.launch(1, 1)
        while not ready(cluster.port(1, 6)):
            if node1.poll() is not None or time.perf_counter() - started > 300:
                raise SystemExit(f"node1 never ready: " + cluster.log(1)[-2000:])
            time.sleep(0.05)
        summary["node1_ready_s"] = round(time.perf_counter() - started, 2)
        summary["node1_ready_cpu_s"] = round(cpu_s(node1.pid), 2)
        node2, second = join(cluster, 2, 1, last)
        node3, third = join(cluster, 3, 0, last, join_extra)
        time.sleep(int(os.environ.get("SETTLE_SECONDS", "30")))  # JIT warm-up and the join's passes settle first
        t0, c = time.perf_counter(), {i: cpu_s(p.pid) for i, p in cluster.nodes.items()}
        time.sleep(int(os.environ.get("IDLE_SECONDS", "20")))
        wall = time.perf_counter() - t0
        idle = {i: round((cpu_s(p.pid) - c[i]) / wall * 100, 2) for i, p in cluster.nodes.items()}
        for i, p in cluster.nodes.items():
            summary[f"node{i}_idle_cpu_pct"] = idle[i]
            summary[f"node{i}_rss_mib"] = round(rss_mib(p.pid))
            summary[f"node{i}_oom"] = "OutOfMemoryError" in cluster.log(i)
            summary[f"node{i}_heap_live_mib"] = live_heap_mib(p.pid)
        if os.environ.get("HISTOGRAM_DIR"):
            # Where the heap goes, per class, on every node (after the full GC above).
            for i, p in cluster.nodes.items():
                histogram = subprocess.run(["jcmd", str(p.pid), "GC.class_histogram"], capture_output=True,
                                           text=True, timeout=120).stdout
                with open(os.path.join(os.environ["HISTOGRAM_DIR"], f"node{i}.histo"), "w") as f:
                    f.write(histogram)
        summary["joins"] = [second, third]
        summary["loadavg_end"] = loadavg()
        print(json.dumps(summary), flush=True)
    finally:
        cluster.stop_all()
        if not os.environ.get("KEEP_WORK"):
            shutil.rmtree(work, ignore_errors=True)
        else:
            print("kept", work)


if __name__ == "__main__":
    main()
