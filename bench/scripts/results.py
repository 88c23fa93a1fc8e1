"""Appends one benchmark result to bench/results/NAME.csv, the data the graphs are drawn from.

Each row carries the UTC time, the commit of the checkout and the load average, then the
script's own columns; a row with a column the file lacks rewrites the file with the union of
the columns. The graph tool (io.keepcluster.bench.Graphs) reads the last row of each case, so rerunning a script and then the tool refreshes the graphs.
RESULTS_DIR overrides the folder (e.g. to keep a scratch run out of the committed data).
"""
import csv, datetime, os, subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _commit():
    try:
        return subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "-"


def record(name, row):
    folder = os.environ.get("RESULTS_DIR", os.path.join(ROOT, "bench", "results"))
    os.makedirs(folder, exist_ok=True)
    full = {"utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "commit": _commit(), "loadavg": round(os.getloadavg()[0], 2)}
    full.update(row)
    path = os.path.join(folder, name + ".csv")
    rows, columns = [], []
    if os.path.exists(path):
        with open(path, newline="") as f:
            reader = csv.DictReader(f)
            columns = list(reader.fieldnames or [])
            rows = list(reader)
    new = [c for c in full if c not in columns]
    if new or not os.path.exists(path):
        # A column this script did not write before: rewrite the file with the union of columns.
        columns += new
        with open(path, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=columns, restval="")
            writer.writeheader()
            writer.writerows(rows)
    with open(path, "a", newline="") as f:
        csv.DictWriter(f, fieldnames=columns, restval="").writerow(full)
    return path
