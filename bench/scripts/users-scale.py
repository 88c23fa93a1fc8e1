#!/usr/bin/env python3
"""Users scale run: one node with N users in its users.json, for each N given.

Usage: bench/scripts/users-scale.py [NODE_JAR] [N ...]     (defaults: node/target/keepcluster-node.jar, 10 10000 100000)
For each N: writes keepconfig.d/directory/users.json with N users in the node's format (one Argon2id
hash made by the node's CLI, reused for every user), starts the node pinned to core 0 with the
launcher defaults (-Xms64m -Xmx192m -XX:+UseSerialGC -XX:MaxDirectMemorySize=64m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:-ShrinkHeapInSteps; JAVA_OPTS to
change, EXTRA_JAVA_OPTS to add e.g. a JFR recording) and prints one JSON line: start time (to the
'ports' line and to /health/ready answering 200) and the node's CPU seconds until then, idle RSS and
idle CPU over IDLE_SECONDS (default 20), the first login of the last user, p50/p99 of LOGINS (default
20) logins of that user, and the login of that user right after a change of another user (through
the management API, and through the CLI, which edits users.json under the running node), and the
load average. No test asserts any of it; the node is stopped and its folder removed after each N.
"""
import json, os, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from userbench import (EXTRA, JAVA_OPTS, cpu_s, loadavg, login, management, ms, pct, ready, rss_mib, seed_hash,
                       stop, username, wait_ports, write_users)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(jar, n, hashed):
    work = tempfile.mkdtemp(prefix="keepcluster-users-")
    conf = os.path.join(work, "keepconfig.d")
    file_bytes = write_users(conf, n, hashed)
    env = dict(os.environ, PORT="0", HEALTHCHECKPORT="0", MANAGMENTPORT="0", METRICSPORT="0", BIND="127.0.0.1")
    result = {"users": n, "file_mib": round(file_bytes / 2**20, 1), "loadavg_start": loadavg()}
    started = time.perf_counter()
    node = subprocess.Popen(["taskset", "-c", "0", "java", *JAVA_OPTS, *EXTRA, "-jar", jar, "--config-dir", conf],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
    try:
        api, health, mgmt = wait_ports(node)
        result["ports_s"] = round(time.perf_counter() - started, 2)
        while not ready(health):
            if node.poll() is not None or time.perf_counter() - started > 300:
                raise SystemExit(f"node never ready (exit {node.poll()})")
            time.sleep(0.05)
        result["ready_s"] = round(time.perf_counter() - started, 2)
        result["ready_cpu_s"] = round(cpu_s(node.pid), 2)
        last = username(n - 1)
        status, first = login(api, last)
        if status != 200:
            raise SystemExit(f"login of {last} answered {status}")
        result["first_login_ms"] = ms(first)
        times = [login(api, last)[1] for _ in range(int(os.environ.get("LOGINS", "20")))]
        result["login_p50_ms"], result["login_p99_ms"] = ms(pct(times, 50)), ms(pct(times, 99))
        # A change of another user, then at once a login: the issue measured 328 / 410 / 989 ms here
        # when every change made the next login reload users.json whole under a lock.
        after_api = []
        for i in range(5):
            other = username(i % max(1, n - 1))
            path = f"/api/users/{other}/" + ("disable" if i % 2 == 0 else "enable")
            code = management(mgmt, "POST", path)
            if code != 204:
                raise SystemExit(f"{path} answered {code}")
            status, seconds = login(api, last)
            after_api.append(seconds)
        management(mgmt, "POST", f"/api/users/{username(0)}/enable")
        result["login_after_api_change_ms"] = [ms(s) for s in after_api]
        after_cli = []
        for i in range(3):
            cli = subprocess.run(["java", *JAVA_OPTS, "-jar", jar, "user", "disable" if i % 2 == 0 else "enable",
                                  username(1 % n), "--config-dir", conf], capture_output=True, text=True)
            if cli.returncode != 0:
                raise SystemExit(f"user CLI exit {cli.returncode}: {cli.stdout.strip()} {cli.stderr.strip()[:600]}")
            status, seconds = login(api, last)
            after_cli.append(seconds)
        result["login_after_cli_change_ms"] = [ms(s) for s in after_cli]
        # Idle: let the passes the changes started settle, then measure.
        time.sleep(10)
        t0, c0 = time.perf_counter(), cpu_s(node.pid)
        time.sleep(int(os.environ.get("IDLE_SECONDS", "20")))
        result["idle_cpu_pct"] = round((cpu_s(node.pid) - c0) / (time.perf_counter() - t0) * 100, 2)
        result["idle_rss_mib"] = round(rss_mib(node.pid))
        result["loadavg_end"] = loadavg()
        print(json.dumps(result), flush=True)
    finally:
        stop(node)
        shutil.rmtree(work, ignore_errors=True)


def main():
    jar = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "node/target/keepcluster-node.jar"))
    counts = [int(a) for a in sys.argv[2:]] or [10, 10000, 100000]
    hashed = seed_hash(jar)
    for n in counts:
        run(jar, n, hashed)


if __name__ == "__main__":
    main()
