#!/usr/bin/env python3
"""Summarises the CPU samples (jdk.ExecutionSample) of a JFR recording for bench/RESULTS.md.

  python3 bench/jfr_top.py RECORDING.jfr [TOP]

Prints: the number of samples; where they went by component (each sample is charged to the first
frame, from the leaf up, that is not JDK code: so JDK work counts for its caller); the top leaf
frames; the top Larder frames by inclusive share (how many samples have them anywhere on the stack).
"""
import collections
import json
import subprocess
import sys

COMPONENTS = [  # (prefix, name): first match from the leaf up wins
    ("dev.larder.kit.ratelimiting.", "Larder rate limiter"),
    ("dev.larder.kit.sessions.", "Larder sessions"),
    ("dev.larder.kit.caching.", "Larder caching"),
    ("dev.larder.kit.", "Larder kit (other)"),
    ("dev.larder.shop.", "Larder shop"),
    ("dev.larder.", "Larder (other)"),
    ("org.redisson.", "Redisson + Netty"),
    ("io.netty.", "Redisson + Netty"),
    ("com.fasterxml.jackson.", "Jackson"),
    ("org.glassfish.jersey.", "JAX-RS (Jersey)"),
    ("org.jboss.weld.", "CDI (Weld)"),
    ("org.glassfish.grizzly.", "HTTP (Grizzly)"),
    ("org.apache.catalina.", "Servlet container"),
    ("org.glassfish.", "Payara/GlassFish (other)"),
    ("com.sun.enterprise.", "Payara/GlassFish (other)"),
    ("fish.payara.", "Payara/GlassFish (other)"),
]
JDK = ("java.", "javax.", "jdk.", "sun.", "com.sun.proxy.")


def name(frame):
    method = frame["method"]
    return method["type"]["name"].replace("/", ".") + "." + method["name"]


def component(frames):
    for frame in frames:
        qualified = name(frame)
        if qualified.startswith(JDK) and not qualified.startswith("com.sun.enterprise."):
            continue
        for prefix, label in COMPONENTS:
            if qualified.startswith(prefix):
                return label
        return "other: " + ".".join(qualified.split(".")[:3])
    return "JDK only"


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 12
    raw = subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample", path],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(raw)["recording"]["events"]
    stacks = [e["values"]["stackTrace"]["frames"] for e in events if e["values"].get("stackTrace")]
    total = len(stacks)
    if total == 0:
        print("no CPU samples")
        return
    by_component = collections.Counter(component(frames) for frames in stacks)
    leaves = collections.Counter(name(frames[0]) for frames in stacks if frames)
    larder = collections.Counter()
    for frames in stacks:
        larder.update({name(f) for f in frames if name(f).startswith("dev.larder.")})
    print(f"CPU samples: {total}")
    print("by component (first non-JDK frame from the leaf):")
    for label, count in by_component.most_common():
        print(f"  {100 * count / total:5.1f} %  {label}")
    print(f"top {top} leaf frames:")
    for frame, count in leaves.most_common(top):
        print(f"  {100 * count / total:5.1f} %  {frame}")
    print(f"top {top} Larder frames (inclusive):")
    for frame, count in larder.most_common(top):
        print(f"  {100 * count / total:5.1f} %  {frame}")


if __name__ == "__main__":
    main()
