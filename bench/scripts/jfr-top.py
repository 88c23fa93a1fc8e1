#!/usr/bin/env python3
"""Top frames of a JFR recording's CPU samples (jdk.ExecutionSample).

Usage: bench/scripts/jfr-top.py RECORDING.jfr [N] [PACKAGE_PREFIX]
Prints the N (default 25) most frequent top frames, and the N most frequent frames anywhere in
the stack that start with PACKAGE_PREFIX (default io.keepcluster), each with its share of samples.
"""
import collections, re, subprocess, sys


def main():
    path = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    prefix = sys.argv[3] if len(sys.argv) > 3 else "io.keepcluster"
    text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "64", path],
                          capture_output=True, text=True, check=True).stdout
    top, ours, total = collections.Counter(), collections.Counter(), 0
    for event in text.split("jdk.ExecutionSample")[1:]:
        frames = re.findall(r"^\s+([\w$.<>/]+\.[\w$<>]+)\(", event, re.M)
        if not frames:
            continue
        total += 1
        top[frames[0]] += 1
        for frame in dict.fromkeys(f for f in frames if f.startswith(prefix)):
            ours[frame] += 1
    print(f"samples: {total}")
    print("top frames:")
    for frame, count in top.most_common(n):
        print(f"  {100 * count / total:5.1f}%  {frame}")
    print(f"frames of {prefix} anywhere in the stack (inclusive):")
    for frame, count in ours.most_common(n):
        print(f"  {100 * count / total:5.1f}%  {frame}")


if __name__ == "__main__":
    main()
