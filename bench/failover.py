#!/usr/bin/env python3
"""Helpers of bench/failover.sh (standard library only, loopback only, every loop bounded).

  failover.py watch AT_MS SENTINEL_PORTS MASTER_NAME OLD_MASTER_PORT REPLICA_PORT
      At epoch AT_MS sends SENTINEL FAILOVER to the first Sentinel, then polls every 5 ms (for at most
      40 s) and prints, in ms after the command: the replica answering as master (promoted), every
      Sentinel announcing it (announced), the first HGET the new master serves (cmdstat_hget of
      INFO commandstats grows: a request's cache lookup, or the view total of a product read, ran
      there; Sentinels and the breaker's probe never send HGET), and the old master replicating from
      the new one (demoted). SENTINEL_PORTS comma-separated.

  failover.py write BASE TOKEN T0_MS PHASE_MS PHASES IDS OUT
      Until T0_MS + PHASES * PHASE_MS: for each product id of IDS (comma-separated) in turn, PUT a
      new name, then GET it (so that the cache holds it), timing every request; writes to OUT one
      line per request sent after T0_MS: <sent ms after T0> <latency ms> <status, 0 = no answer>
      <kind, 3 = PUT, 4 = GET>, and prints a per-phase summary.

  failover.py stale BASE DB IDS
      Reads each product through the instance and from PostgreSQL (psql) and prints those that differ.
"""
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request


def resp(port, *command, timeout=2.0):
    """One RESP2 command on a connection of its own; returns str, int, list or None; raises on an error reply."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        payload = f"*{len(command)}\r\n" + "".join(f"${len(str(c).encode())}\r\n{c}\r\n" for c in command)
        s.sendall(payload.encode())
        reader = s.makefile("rb")
        return _read(reader)


def _read(reader):
    line = reader.readline().decode().rstrip("\r\n")
    kind, rest = line[0], line[1:]
    if kind == "+":
        return rest
    if kind == "-":
        raise RuntimeError(rest)
    if kind == ":":
        return int(rest)
    if kind == "$":
        if int(rest) < 0:
            return None
        data = reader.read(int(rest) + 2)
        return data[:-2].decode()
    if kind == "*":
        return None if int(rest) < 0 else [_read(reader) for _ in range(int(rest))]
    raise RuntimeError("not RESP2: " + line)


def info(port, section):
    fields = {}
    for line in resp(port, "INFO", section).split("\r\n"):
        if ":" in line and not line.startswith("#"):
            key, value = line.split(":", 1)
            fields[key] = value
    return fields


def hget_calls(port):
    stats = info(port, "commandstats").get("cmdstat_hget", "calls=0")
    return int(dict(part.split("=") for part in stats.split(","))["calls"])


def now_ms():
    return time.time() * 1000


def watch(at_ms, sentinel_ports, name, old_port, replica_port):
    at_ms = float(at_ms)
    sentinels = [int(p) for p in sentinel_ports.split(",")]
    old_port, replica_port = int(old_port), int(replica_port)
    baseline = hget_calls(replica_port)
    time.sleep(max(0.0, (at_ms - now_ms()) / 1000))
    sent = now_ms()
    answer = resp(sentinels[0], "SENTINEL", "FAILOVER", name)
    seen = {}
    deadline = sent + 40_000
    while now_ms() < deadline and len(seen) < 4:
        t = now_ms() - sent
        try:
            if "promoted" not in seen and resp(replica_port, "ROLE")[0] == "master":
                seen["promoted"] = t
            if "announced" not in seen and all(
                    int(resp(s, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", name)[1]) == replica_port for s in sentinels):
                seen["announced"] = t
            if "first HGET on the new master" not in seen and hget_calls(replica_port) > baseline:
                seen["first HGET on the new master"] = t
            if "demoted" not in seen:
                old = info(old_port, "replication")
                if old.get("role") == "slave" and old.get("master_port") == str(replica_port) \
                        and old.get("master_link_status") == "up":
                    seen["demoted"] = t
        except (OSError, RuntimeError):
            pass
        time.sleep(0.005)
    print(f"  SENTINEL FAILOVER at epoch {sent:.0f} ms ({answer}); after it: " + ", ".join(
        f"{what} +{t:,.0f} ms" for what, t in sorted(seen.items(), key=lambda item: item[1])))
    missing = {"promoted", "announced", "first HGET on the new master", "demoted"} - seen.keys()
    if missing:
        print("  not seen within 40 s: " + ", ".join(sorted(missing)))
    print(f"FAILOVER_SENT_MS={sent:.0f}")


def request(method, url, token=None, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    start = now_ms()
    try:
        with urllib.request.urlopen(req, timeout=30) as answer:
            return start, now_ms() - start, answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as e:
        return start, now_ms() - start, e.code, None
    except OSError:
        return start, now_ms() - start, 0, None


def write(base, token, t0_ms, phase_ms, phases, ids, out):
    t0_ms, phase_ms, phases = float(t0_ms), float(phase_ms), int(phases)
    ids = [int(i) for i in ids.split(",")]
    products = {i: request("GET", f"{base}/api/products/{i}")[3] for i in ids}
    end = t0_ms + phase_ms * phases
    records, n = [], 0
    while now_ms() < end:
        n += 1
        for i in ids:
            if now_ms() >= end:
                break
            p = products[i]
            body = {"sku": p["sku"], "name": f"Bench write {n}", "description": p["description"],
                    "priceCents": p["priceCents"], "stock": p["stock"], "category": p["category"]}
            for kind, method, payload in ((3, "PUT", body), (4, "GET", None)):
                start, took, status, _ = request(method, f"{base}/api/products/{i}", token if method == "PUT" else None, payload)
                if start >= t0_ms:
                    records.append((start - t0_ms, took, status, kind))
            time.sleep(0.02)
    with open(out, "w") as f:
        for r in records:
            f.write("%.1f %.2f %d %d\n" % r)
    names = ["before", "failover", "after"]
    print("  writer (PUT then GET of one of %d products, every ~20 ms):" % len(ids))
    for index in range(phases):
        rows = [r for r in records if int(r[0] // phase_ms) == index]
        puts = [r for r in rows if r[3] == 3]
        print("    %s: %d PUT (%d 5xx, %d no answer, max %.0f ms), %d GET (%d 5xx, max %.0f ms)" % (
            names[index] if index < len(names) else index, len(puts), sum(1 for r in puts if r[2] >= 500),
            sum(1 for r in puts if r[2] == 0), max((r[1] for r in puts), default=0),
            len(rows) - len(puts), sum(1 for r in rows if r[3] == 4 and r[2] >= 500),
            max((r[1] for r in rows if r[3] == 4), default=0)))


def stale(base, db, ids):
    differ = []
    for i in (int(x) for x in ids.split(",")):
        served = request("GET", f"{base}/api/products/{i}")[3]
        row = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-At", "-c",
                              f"select name from product where id = {i}"], capture_output=True, text=True).stdout.strip()
        if served is None or served.get("name") != row:
            differ.append(f"{i}: served {served and served.get('name')!r}, database {row!r}")
    print(f"  after the run: {len(differ)} of {len(ids.split(','))} written products served otherwise than the database holds them"
          + ("".join("\n    " + d for d in differ)))


if __name__ == "__main__":
    commands = {"watch": watch, "write": write, "stale": stale}
    commands[sys.argv[1]](*sys.argv[2:])
