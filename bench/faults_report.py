#!/usr/bin/env python3
"""Summarises one bench/faults.lua record file: per phase and per second, and the targets.
   faults_report.py RECORDS PHASE_SECONDS TIMEOUT_MS COLD_RPS [PHASE_NAME ...]
(PHASE_SECONDS whole seconds.)
A request belongs to the phase in which it was sent. req/s counts the answered requests sent in the
phase over the phase's length; latencies are those of the requests sent in the phase, and a request
never answered before wrk stopped counts as slower than anything answered."""
import math
import sys

records_file, phase_s, timeout_ms, cold_rps = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
names = sys.argv[5:] or ["before", "fault", "after"]
phase_ms = phase_s * 1000
UNANSWERED = math.inf

rows = []
with open(records_file) as lines:
    for line in lines:
        sent, took, status, kind = line.split()
        took = float(took)
        rows.append((float(sent), UNANSWERED if took < 0 else took, int(status), int(kind)))


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


def ms(value):
    if value is None:
        return "-"
    if value == UNANSWERED:
        return "unanswered"
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.2f} ms"


def stats(selected, seconds):
    latencies = [r[1] for r in selected if r[2] != 0]  # a socket error has no latency
    answered = [r for r in selected if r[2] > 0]
    return {
        "sent": len(selected),
        "rps": len(answered) / seconds,
        "p50": percentile(latencies, 0.50),
        "p99": percentile(latencies, 0.99),
        "max": max(latencies) if latencies else None,
        "5xx": sum(1 for r in answered if r[2] >= 500),
        "other": sum(1 for r in answered if not 200 <= r[2] < 300 and r[2] < 500),
        "errors": sum(1 for r in selected if r[2] == 0),
        "unanswered": sum(1 for r in selected if r[2] == -1),
        "slow": sum(1 for r in selected if r[2] != 0 and r[1] > timeout_ms),
    }


def worst_second(index):
    """The fewest answered requests sent in one second of the phase: a closed loop stalled on slow
    requests sends few, so a phase's p99 hides a stall that this shows."""
    first = int(index * phase_s)
    return min(sum(1 for r in rows if int(r[0] // 1000) == second and r[2] > 0)
               for second in range(first, first + int(phase_s)))


def phase_rows(kinds):
    return [stats([r for r in rows if int(r[0] // phase_ms) == index and r[3] in kinds], phase_s)
            for index in range(len(names))]


print(f"| phase | req/s | worst 1 s | p50 | p99 | max | 5xx | other non-2xx | socket errors | unanswered | > timeout ({timeout_ms:.0f} ms) |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
phases = phase_rows({1, 2})
for index, (name, s) in enumerate(zip(names, phases)):
    print(f"| {name} | {s['rps']:,.0f} | {worst_second(index):,} | {ms(s['p50'])} | {ms(s['p99'])} | {ms(s['max'])} | {s['5xx']} | {s['other']}"
          f" | {s['errors']} | {s['unanswered']} | {s['slow']} |")
for kind, label in ((1, "hot GET /api/products/{1..1000}"), (2, "page GET /api/products?category=..&page=0&size=20")):
    per_kind = phase_rows({kind})
    if sum(s["sent"] for s in per_kind) == 0:
        continue
    print(f"  {label}: " + "; ".join(
        f"{name} {s['rps']:,.0f} req/s p50 {ms(s['p50'])} p99 {ms(s['p99'])} slow {s['slow']}"
        for name, s in zip(names, per_kind)))

print("  per second (sent in that second: answered, p50, p99, max, non-2xx + errors):")
seconds = int(phase_s * len(names))
for second in range(seconds):
    selected = [r for r in rows if int(r[0] // 1000) == second]
    s = stats(selected, 1)
    print(f"    {second:3d}s {names[int(second // phase_s)]:>6}: {s['rps']:6,.0f}  p50 {ms(s['p50']):>10}  p99 {ms(s['p99']):>10}"
          f"  max {ms(s['max']):>10}  bad {s['5xx'] + s['other'] + s['errors'] + s['unanswered']}")

fault = phases[1]
total_5xx = sum(s["5xx"] for s in phases)
met = lambda ok: "met" if ok else "MISSED"
print(f"  target 0 x 5xx: {met(total_5xx == 0)} ({total_5xx}; socket errors {sum(s['errors'] for s in phases)},"
      f" unanswered {sum(s['unanswered'] for s in phases)})")
print(f"  target p99 during the fault <= Redis timeout {timeout_ms:.0f} ms: {met(fault['p99'] is not None and fault['p99'] <= timeout_ms)}"
      f" ({ms(fault['p99'])})")
print(f"  target req/s during the fault >= cold path {cold_rps:,.0f}: {met(fault['rps'] >= cold_rps)} ({fault['rps']:,.0f};"
      f" worst second of the fault {worst_second(1):,})")
