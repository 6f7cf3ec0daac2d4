#!/usr/bin/env python3
"""The figures and ratios of bench/hits.sh from its results file (round, run, req/s, p50, p99, non-2xx)."""
import collections
import statistics
import sys

RATIOS = [  # label, numerator, denominator, target
    ("hot GET / Larder's JAX-RS ping (defaults: filters on)", "hot@full", "ping@full", ">= 2"),
    ("hot GET / Larder's JAX-RS ping (filters off)", "hot@bare", "ping@bare", ">= 2"),
    ("hot GET (defaults) / plain-servlet ceiling", "hot@full", "ceiling@bare", ">= 0.7"),
    ("hot GET (filters off) / plain-servlet ceiling", "hot@bare", "ceiling@bare", ">= 0.7"),
    ("hot GET, limiter on / limiter off (sessions on in both)", "hot@full", "hot@sessions", ">= 0.85"),
    ("hot GET, limiter on, 32 clients / limiter off", "hot-keys@full", "hot@sessions", "(>= 0.85)"),
    ("no-op ping, filters on / filters off", "ping@full", "ping@bare", ">= 0.95"),
    ("no-op ping, sessions on / off (limiter off)", "ping@sessions", "ping@bare", ">= 0.95"),
    ("no-op ping, limiter on / off (sessions on)", "ping@full", "ping@sessions", ""),
    ("hot GET, filters on / filters off", "hot@full", "hot@bare", ""),
    ("JAX-RS ping / plain-servlet ceiling (filters off)", "ping@bare", "ceiling@bare", ""),
]


def main():
    rows = collections.defaultdict(dict)  # run -> round -> (req/s, p50, p99, non-2xx)
    for line in open(sys.argv[1]):
        rnd, run, rps, p50, p99, bad = line.rstrip("\n").split("\t")
        rows[run][rnd] = (float(rps), float(p50), float(p99), int(bad))
    for run, by_round in rows.items():
        values = list(by_round.values())
        print(f"{run:18} {statistics.median(v[0] for v in values):10,.0f} req/s"
              f"   p50 {statistics.median(v[1] for v in values):7.3f} ms"
              f"   p99 {statistics.median(v[2] for v in values):7.3f} ms   non-2xx {sum(v[3] for v in values)}"
              f"   (rounds: {', '.join(f'{v[0]:,.0f}' for v in values)})")
    print("ratios: median of the per-round ratios (both runs of a ratio from the same round) [min-max]")
    for label, a, b, target in RATIOS:
        if a not in rows or b not in rows:
            continue
        per_round = [rows[a][r][0] / rows[b][r][0] for r in rows[a] if r in rows[b] and rows[b][r][0] > 0]
        print(f"{label:58} {statistics.median(per_round):5.2f}  [{min(per_round):.2f}-{max(per_round):.2f}]"
              f"   ({a} / {b}; target {target})")


if __name__ == "__main__":
    main()
