"""Shared helpers of the users benchmarks (users-scale.py, users-join.py): a users.json written
directly in the node's format, process measurements from /proc, and timed logins."""
import json, os, re, subprocess, sys, tempfile, time, urllib.error, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from procs import loadavg, rss_mib, stop  # noqa: E402,F401  (re-exported to the users scripts)
from procs import cpu_seconds as cpu_s  # noqa: E402,F401

JAVA_OPTS = os.environ.get("JAVA_OPTS", "-Xms64m -Xmx192m -XX:+UseSerialGC -XX:MaxDirectMemorySize=64m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:-ShrinkHeapInSteps").split()
EXTRA = os.environ.get("EXTRA_JAVA_OPTS", "").split()
PASSWORD = "bench-user-pw"


def seed_hash(jar):
    """One Argon2id hash of PASSWORD made by the node's own CLI (so it has the node's parameters),
    reused for every user: hashing 100,000 passwords would take over an hour on this machine."""
    folder = tempfile.mkdtemp(prefix="keepcluster-seed-")
    subprocess.run(["java", *JAVA_OPTS, "-jar", jar, "user", "add", "seed", "--dn", "CN=Seed/O=Bench",
                    "--password-stdin", "--create", "--config-dir", os.path.join(folder, "c")],
                   input=PASSWORD + "\n", text=True, check=True, capture_output=True)
    with open(os.path.join(folder, "c", "directory", "users.json")) as f:
        hashed = json.load(f)["users"][0]["passwordHash"]
    subprocess.run(["rm", "-rf", folder])
    return hashed


def username(i):
    return f"u{i:06d}"


def write_users(conf, n, hashed, version=None):
    """conf/directory/users.json with users u000000..u{n-1} (mode 0600 in a 0700 folder, as the node
    writes it), plus a management account 'bench' with the same password, so the management API
    can be used on a folder that has users (no bootstrap account is made then)."""
    version = version or int(time.time() * 1000)
    directory = os.path.join(conf, "directory")
    os.makedirs(directory, mode=0o700, exist_ok=True)
    path = os.path.join(directory, "users.json")
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
        f.write('{\n  "users" : [ ')
        for i in range(n):
            name = username(i)
            if i:
                f.write(", ")
            f.write(json.dumps({"username": name, "dn": f"CN=User {i:06d}/O=Bench", "email": f"{name}@bench.test",
                                "scopes": "MAIL $DATA", "passwordHash": hashed, "version": version}, indent=2))
        f.write(" ]\n}\n")
    with open(os.open(os.path.join(conf, "50-bench-management.json"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
              "w") as f:
        json.dump({"managementAccounts": {"bench": {"passwordHash": hashed}}}, f)
    return os.path.getsize(path)


def ready(health_port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{health_port}/health/ready", timeout=5) as r:
            return r.status == 200
    except Exception:
        return False


def login(api_port, user, password=PASSWORD):
    """(HTTP status, seconds) of one POST /api/v1/auth on a fresh connection."""
    body = json.dumps({"username": user, "password": password}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{api_port}/api/v1/auth", data=body,
                                     headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        e.read()
        status = e.code
    return status, time.perf_counter() - started


def management(port, method, path, payload=None):
    import base64
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method, headers={
        "Content-Type": "application/json",
        "Authorization": "Basic " + base64.b64encode(f"bench:{PASSWORD}".encode()).decode()})
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as e:
        e.read()
        return e.code


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def ms(seconds):
    return round(seconds * 1000, 1)


def wait_ports(node, timeout=300):
    """Reads the node's output until its 'ports' line: (api, health, management); keeps draining after."""
    import threading
    seen = []
    for line in node.stdout:
        seen = (seen + [line])[-8:]
        m = re.search(r"ports api=(\d+) health=(\d+) management=(\d+)", line)
        if m:
            threading.Thread(target=lambda: [None for _ in node.stdout], daemon=True).start()
            return int(m.group(1)), int(m.group(2)), int(m.group(3))
    raise SystemExit("node did not start: " + " | ".join(l.strip()[:200] for l in seen))
