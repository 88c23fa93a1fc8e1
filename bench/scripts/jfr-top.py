#!/usr/bin/env python3
"""Top frames of a JFR recording's CPU samples (jdk.ExecutionSample), for the idle profiles.

Usage: bench/scripts/jfr-top.py RECORDING.jfr [TOP]        (TOP default 15)
Runs `jfr print --events jdk.ExecutionSample` and prints, each with its share of all samples:
  - samples per thread (thread names with trailing numbers folded: vert.x-eventloop-thread-*)
  - leaf frames (where the CPU was)
  - inclusive frames of this project (io.keepcluster.*: any sample whose stack contains it)
  - the first project frame of each sample (which of our code paths the samples are under)
  - CPU per thread from jdk.ThreadCPULoad (JFR's own per-thread CPU, also for threads outside Java
    code, which execution samples miss: GC, JIT, threads in native calls), averaged over the recording
"""
import collections, re, subprocess, sys


def samples(path):
    text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", path], capture_output=True,
                          text=True, check=True).stdout
    for block in text.split("jdk.ExecutionSample {")[1:]:
        thread = re.search(r'sampledThread = "([^"]*)"', block)
        frames = re.findall(r"^\s+([\w$.<>]+\([^)]*\))\s+line:", block, re.M)
        yield (thread.group(1) if thread else "?"), frames


def thread_cpu(path):
    """Mean CPU of each thread over its periods, summed over threads of one (folded) name."""
    text = subprocess.run(["jfr", "print", "--events", "jdk.ThreadCPULoad", path], capture_output=True,
                          text=True, check=True).stdout
    per_thread = collections.defaultdict(list)
    for block in text.split("jdk.ThreadCPULoad {")[1:]:
        user = re.search(r"user = ([\d.]+)%", block)
        system = re.search(r"system = ([\d.]+)%", block)
        thread = re.search(r'eventThread = "([^"]*)" \(javaThreadId = (\d+)\)', block)
        if user and system and thread:
            per_thread[(thread.group(1), thread.group(2))].append(float(user.group(1)) + float(system.group(1)))
    load = collections.Counter()
    for (name, _), values in per_thread.items():
        load[re.sub(r"\d+$", "*", name)] += sum(values) / len(values)
    return load


def method(frame):
    return frame.split("(")[0]


def show(title, counter, total, top):
    print(f"\n{title}")
    for name, count in counter.most_common(top):
        print(f"  {count / total * 100:5.1f} %  {count:5d}  {name}")


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    threads, leaves, ours, first_ours = (collections.Counter() for _ in range(4))
    total = 0
    for thread, frames in samples(path):
        total += 1
        threads[re.sub(r"\d+$", "*", thread)] += 1
        if frames:
            leaves[method(frames[0])] += 1
        seen = set()
        first = None
        for frame in frames:
            name = method(frame)
            if name.startswith("io.keepcluster.") and name not in seen:
                seen.add(name)
                first = first or name
        for name in seen:
            ours[name] += 1
        first_ours[first or "(no io.keepcluster frame)"] += 1
    if total == 0:
        raise SystemExit("no jdk.ExecutionSample events in " + path)
    print(f"{path}: {total} CPU samples")
    show("threads", threads, total, top)
    show("leaf frames", leaves, total, top)
    show("first io.keepcluster frame (from the leaf)", first_ours, total, top)
    show("io.keepcluster frames, inclusive", ours, total, top)
    load = thread_cpu(path)
    print("\nCPU per thread (jdk.ThreadCPULoad: % of the whole machine's CPU, each thread's mean over the"
          " recording, threads of one name summed)")
    for name, value in load.most_common(top):
        print(f"  {value:6.3f} %  {name}")


if __name__ == "__main__":
    main()
