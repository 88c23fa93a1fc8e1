#!/usr/bin/env python3
"""Top frames of a JFR recording's execution samples (self and inclusive), for the profiles in BENCHMARKS.md.

Usage: bench/scripts/jfr-phases.py FILE.jfr [--thread SUBSTRING] [--windows N] [--top K] [--match TEXT]
                                [--between HH:MM:SS HH:MM:SS] [--callers TEXT]
--windows N splits the samples of the chosen threads into N equal-length stretches of time (e.g. the
three wrk phases of http-throughput.py: unauthenticated, reused token, fresh tokens) and reports each.
--match TEXT restricts to samples with a frame containing TEXT. Needs `jfr` (the JDK's) on PATH.
"""
import argparse, collections, datetime, json, subprocess


def frames(event):
    out = []
    for f in event["values"]["stackTrace"]["frames"]:
        m = f["method"]
        out.append(m["type"]["name"].replace("/", ".") + "." + m["name"])
    return out


def report(samples, top, title):
    n = len(samples)
    print(f"== {title}: {n} samples")
    if not n:
        return
    self_count = collections.Counter(s[0] for s in samples if s)
    incl = collections.Counter()
    for s in samples:
        for name in set(s):
            incl[name] += 1
    print("-- self")
    for name, c in self_count.most_common(top):
        print(f"{100 * c / n:5.1f}%  {name}")
    print("-- inclusive")
    for name, c in incl.most_common(top * 2):
        print(f"{100 * c / n:5.1f}%  {name}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--thread", default="eventloop")
    ap.add_argument("--windows", type=int, default=1)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--match")
    ap.add_argument("--between", nargs=2, metavar=("HH:MM:SS", "HH:MM:SS"),
                    help="only samples in this stretch of UTC time (http-throughput.py prints each phase's)")
    ap.add_argument("--callers", help="also count the frame that called each frame containing this text")
    a = ap.parse_args()
    data = json.loads(subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample", a.file],
                                     capture_output=True, text=True, check=True).stdout)
    events = []
    for e in data["recording"]["events"]:
        if a.thread not in (e["values"]["sampledThread"].get("javaName") or ""):
            continue
        t = datetime.datetime.fromisoformat(e["values"]["startTime"].replace("Z", "")[:26])
        if a.between and not a.between[0] <= t.strftime("%H:%M:%S") <= a.between[1]:
            continue
        events.append((t, frames(e)))
    if not events:
        raise SystemExit("no samples on threads named *" + a.thread + "*")
    events.sort(key=lambda x: x[0])
    t0, t1 = events[0][0], events[-1][0]
    span = (t1 - t0).total_seconds() / a.windows or 1
    for w in range(a.windows):
        chosen = [f for t, f in events if min(a.windows - 1, int((t - t0).total_seconds() / span)) == w]
        if a.match:
            chosen = [f for f in chosen if any(a.match in x for x in f)]
        report(chosen, a.top, f"window {w + 1}/{a.windows}")
        if a.callers:
            callers = collections.Counter()
            for f in chosen:
                for i, name in enumerate(f[:-1]):
                    if a.callers in name:
                        callers[name + " <- " + f[i + 1]] += 1
                        break
            print("-- callers of *" + a.callers + "*")
            for name, c in callers.most_common(a.top):
                print(f"{100 * c / max(1, len(chosen)):5.1f}%  {name}")


if __name__ == "__main__":
    main()
