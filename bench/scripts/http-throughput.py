#!/usr/bin/env python3
"""HTTP throughput table: hello world, stock Vert.x JWTAuthHandler, KeepCluster (reused and fresh).

Usage: bench/scripts/http-throughput.py [RS256|PS256|ES256 ...]   (default: RS256 PS256 ES256)
Needs: wrk on PATH, `mvn -B -q -DskipTests package` done (node and bench jars).
Each server runs in its own JVM pinned to core 0 (`taskset -c 0`) with the launcher defaults;
wrk runs pinned to core 1: one thread, 32 connections, 10 s, 3 runs; the median is reported, with
the median CPU time the server process itself used per request (/proc/PID/stat), which load from
other processes on the machine inflates far less than req/s.
KeepCluster "reused" sends one login token over and over (verified-token cache hits);
"fresh" rotates through distinct tokens minted with the node's keyset (cache misses; the hit
ratio the node counted is printed). "unauth" is the same node's /.well-known/openid-configuration.
Env: NODE_JAR (another build), RUNS, SECONDS_PER_RUN, FRESH_TOKENS; ONLY=keepcluster skips the
hello and stock servers (ratios then need a full run); NODE_JFR=/tmp/x.jfr records a JFR profile
(settings=profile) of the KeepCluster node only, one file per algorithm (x-RS256.jfr ...).
The load average (`uptime`) is printed at the start and the end.
"""
import json, os, re, shutil, statistics, subprocess, sys, tempfile, threading, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import results  # noqa: E402  (appends each row to bench/results/http-throughput.csv for the graphs)
from procs import stop  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NODE = os.environ.get("NODE_JAR", os.path.join(ROOT, "node/target/keepcluster-node.jar"))
BENCH = os.path.join(ROOT, "bench/target/keepcluster-bench.jar")
LUA = os.path.join(ROOT, "bench/scripts/rotate-tokens.lua")
JAVA_OPTS = os.environ.get("JAVA_OPTS", "-Xms64m -Xmx192m -XX:+UseSerialGC -XX:MaxDirectMemorySize=64m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:-ShrinkHeapInSteps").split()
RUNS = int(os.environ.get("RUNS", "3"))
SECONDS = os.environ.get("SECONDS_PER_RUN", "10")
FRESH_TOKENS = int(os.environ.get("FRESH_TOKENS", "40000"))


def start(cmd, env=None, pattern=r"listening port=(\d+)"):
    proc = subprocess.Popen(["taskset", "-c", "0", *cmd], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=env)
    lines = []
    for line in proc.stdout:
        lines.append(line)
        m = re.search(pattern, line)
        if m:
            threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
            return proc, m, lines
    raise SystemExit("server did not start:\n" + "".join(lines[-20:]))


def cpu_seconds(pid):
    """User + system CPU seconds the process used so far (/proc/PID/stat), or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return None


def wrk(url, header=None, script=None, env=None, pid=None):
    results = []
    cpu_us = []
    began = time.time()
    for _ in range(RUNS):
        cmd = ["taskset", "-c", "1", "wrk", "-t1", "-c32", "-d" + SECONDS + "s", "--latency"]
        if header:
            cmd += ["-H", header]
        if script:
            cmd += ["-s", script]
        cpu0 = cpu_seconds(pid) if pid else None
        out = subprocess.run(cmd + [url], capture_output=True, text=True, env=env).stdout
        cpu1 = cpu_seconds(pid) if pid else None
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        requests = int(re.search(r"(\d+) requests in", out).group(1))
        if cpu0 is not None and cpu1 is not None and requests:
            # The server's own CPU per request: what load from other processes inflates least.
            cpu_us.append((cpu1 - cpu0) * 1e6 / requests)
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        if non2xx:
            raise SystemExit(f"{non2xx.group(1)} failed responses from {url}:\n{out}")
        results.append(rps)
    if os.environ.get("NODE_JFR"):
        # Where each wrk phase lies in the recording: bench/scripts/jfr-phases.py --between FROM TO.
        print(f"phase {url} {'reused' if header else 'fresh' if script else ''} between "
              f"{time.strftime('%H:%M:%S', time.gmtime(began))} {time.strftime('%H:%M:%S', time.gmtime())}",
              flush=True)
    return statistics.median(results), results, statistics.median(cpu_us) if cpu_us else None


def http(url, data=None):
    req = urllib.request.Request(url, data=json.dumps(data).encode() if data else None,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.read().decode()


def metric(metrics_port, result):
    text = http(f"http://127.0.0.1:{metrics_port}/metrics")
    m = re.search(r'keepcluster_token_cache_total\{result="' + result + r'"\} ([\d.E+]+)', text)
    return float(m.group(1)) if m else 0.0


def keepcluster(alg, rows):
    work = tempfile.mkdtemp(prefix="keepcluster-http-")
    conf = os.path.join(work, "keepconfig.d")
    family = "EC" if alg.startswith("ES") else "PS256" if alg == "PS256" else "RSA"
    subprocess.run(["java", "-cp", BENCH, "io.keepcluster.bench.MakeKeysets", conf, "1", family, "Bench" + alg],
                   check=True, capture_output=True)
    # The bootstrap admin is only made in an empty folder: add the benchmark's user with the CLI.
    subprocess.run(["java", "-jar", NODE, "user", "add", "bench", "--dn", "CN=Bench/O=Acme", "--password-stdin",
                    "--config-dir", conf], input="bench-user-pw\n", text=True, check=True, capture_output=True)
    env = dict(os.environ, PORT="0", HEALTHCHECKPORT="0", MANAGMENTPORT="0", METRICSPORT="0", BIND="127.0.0.1",
               KEEP_ADMIN_PASSWORD="bench-admin-pw", KEEP_MANAGEMENT_PASSWORD="bench-mgmt-pw",
               KEEP_ROLLOVER_LEAD_SECONDS="0")
    jfr = os.environ.get("NODE_JFR")
    profile = [f"-XX:StartFlightRecording=filename={jfr.replace('.jfr', '-' + alg + '.jfr')},settings=profile",
               "-XX:FlightRecorderOptions=stackdepth=256"] if jfr else []
    node, m, _ = start(["java", *JAVA_OPTS, *profile, "-jar", NODE, "--config-dir", conf], env,
                       r"ports api=(\d+) health=(\d+) management=(\d+) metrics=(\d+)")
    try:
        api, health, _, metrics_port = (int(g) for g in m.groups())
        for _ in range(600):
            try:
                http(f"http://127.0.0.1:{health}/health/ready")
                break
            except Exception:
                time.sleep(0.1)
        token = json.loads(http(f"http://127.0.0.1:{api}/api/v1/auth",
                                {"username": "bench", "password": "bench-user-pw"}))["bearer"]
        kid = "Bench" + alg + "0"
        tokens = os.path.join(work, "tokens.txt")
        subprocess.run(["java", "-cp", BENCH, "io.keepcluster.bench.MintTokens", conf, kid, token,
                        str(FRESH_TOKENS), tokens], check=True, capture_output=True)
        base = f"http://127.0.0.1:{api}"
        unauth, runs, cpu_unauth = wrk(base + "/.well-known/openid-configuration", pid=node.pid)
        rows.append(("KeepCluster unauthenticated (/.well-known/openid-configuration)", "-", unauth, runs, "",
                     cpu_unauth))
        reused, runs, cpu = wrk(base + "/api/v1/userinfo", header="Authorization: Bearer " + token, pid=node.pid)
        rows.append(("KeepCluster `GET /api/v1/userinfo`, reused token", alg, reused, runs,
                     f"{reused / unauth:.2f} x unauthenticated"
                     + (f" ({cpu_unauth / cpu:.2f} by node CPU)" if cpu and cpu_unauth else ""), cpu))
        h0, m0 = metric(metrics_port, "hit"), metric(metrics_port, "miss")
        fresh, runs, cpu = wrk(base + "/", script=LUA, env=dict(os.environ, TOKENS_FILE=tokens), pid=node.pid)
        h1, m1 = metric(metrics_port, "hit"), metric(metrics_port, "miss")
        rows.append(("KeepCluster `GET /api/v1/userinfo`, fresh tokens", alg, fresh, runs,
                     f"cache miss ratio {(m1 - m0) / max(1, (h1 - h0) + (m1 - m0)):.2f}", cpu))
        return reused, fresh
    finally:
        stop(node)
        shutil.rmtree(work, ignore_errors=True)


def stock(alg, rows):
    server, _, lines = start(["java", *JAVA_OPTS, "-cp", BENCH, "io.keepcluster.bench.StockServers", "jwt", alg, "0"])
    try:
        port = int(re.search(r"listening port=(\d+)", "".join(lines)).group(1))
        token = re.search(r"token=(\S+)", "".join(lines)).group(1)
        rps, runs, cpu = wrk(f"http://127.0.0.1:{port}/", header="Authorization: Bearer " + token, pid=server.pid)
        rows.append(("stock Vert.x `JWTAuthHandler`", alg, rps, runs, "", cpu))
        return rps
    finally:
        stop(server)


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    algs = sys.argv[1:] or ["RS256", "PS256", "ES256"]
    rows = []
    print("load average at start: " + load(), flush=True)
    if os.environ.get("ONLY") == "keepcluster":
        for alg in algs:
            keepcluster(alg, rows)
        report(rows)
        return
    hello, _, lines = start(["java", *JAVA_OPTS, "-cp", BENCH, "io.keepcluster.bench.StockServers", "hello", "0"])
    try:
        port = int(re.search(r"listening port=(\d+)", "".join(lines)).group(1))
        rps, runs, cpu = wrk(f"http://127.0.0.1:{port}/", pid=hello.pid)
        rows.append(("Vert.x 5 hello world", "-", rps, runs, "", cpu))
    finally:
        stop(hello)
    for alg in algs:
        base = stock(alg, rows)
        reused, fresh = keepcluster(alg, rows)
        rows[-2] = rows[-2][:4] + (rows[-2][4] + f"; {reused / base:.2f} x stock", rows[-2][5])
        rows[-1] = rows[-1][:4] + (rows[-1][4] + f"; {fresh / base:.2f} x stock", rows[-1][5])
    report(rows)


def report(rows):
    print("load average at end: " + load())
    print(f"| target | alg | req/s (median of {RUNS}) | runs | server CPU µs/request | ratio |")
    print("| --- | --- | ---: | --- | ---: | --- |")
    for name, alg, rps, runs, note, cpu in rows:
        print(f"| {name} | {alg} | {rps:,.0f} | {' / '.join(f'{r:,.0f}' for r in runs)} | "
              f"{f'{cpu:.1f}' if cpu else '-'} | {note} |")
    run_alg = "-"  # the unauthenticated row belongs to the node of the algorithm measured around it
    for name, alg, rps, runs, note, cpu in rows:
        run_alg = alg if alg != "-" else run_alg
        case = next(c for c in ("hello", "stock", "unauthenticated", "reused", "fresh") if c in name)
        results.record("http-throughput", {"case": case, "alg": "-" if case == "hello" else run_alg,
                                           "target": name, "rps": round(rps), "runs": "/".join(f"{r:.0f}" for r in runs),
                                           "cpu_us": f"{cpu:.1f}" if cpu else ""})


if __name__ == "__main__":
    main()
