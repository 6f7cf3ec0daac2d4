#!/usr/bin/env python3
"""Fires N concurrent GETs for one product, spread over several instances, right after the key was
invalidated everywhere, and reports how many database loads the instances made for it.
   stampede.py ROUNDS CONCURRENCY PRODUCT_ID BASE_URL [BASE_URL ...]"""
import json
import re
import sys
import threading
import os
import urllib.request

rounds, concurrency, product = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
bases = sys.argv[4:]


def reads(base):
    text = urllib.request.urlopen(base + "/metrics", timeout=10).read().decode()
    match = re.search(r"^larder_catalog_product_reads_total(\{[^}]*\})? ([0-9.eE+-]+)$", text, re.M)
    return float(match.group(2)) if match else 0.0


def hit(index, barrier, results):
    base = bases[index % len(bases)]
    barrier.wait()
    try:
        with urllib.request.urlopen(f"{base}/api/products/{product}", timeout=30) as answer:
            body = json.loads(answer.read())
            results[index] = answer.status == 200 and str(body["id"]) == product
    except Exception:  # counted as a failed request below
        results[index] = False


for round_number in range(1, rounds + 1):
    urllib.request.urlopen(urllib.request.Request(bases[0] + "/api/caches/products", method="DELETE",
                                                   headers={"Authorization": "Bearer " + os.environ["TOKEN"]}), timeout=10)
    before = sum(reads(b) for b in bases)
    barrier = threading.Barrier(concurrency)
    results = [False] * concurrency
    threads = [threading.Thread(target=hit, args=(i, barrier, results)) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    loads = sum(reads(b) for b in bases) - before
    print(f"round {round_number}: {concurrency} concurrent GETs over {len(bases)} instances -> "
          f"{int(loads)} database load(s), {results.count(True)} correct answers")
