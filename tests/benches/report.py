#!/usr/bin/env python3
"""SDK/baseline ratios from the last run of `cargo bench -p groq-tests --bench clients`.

Reads criterion's `<target>/criterion/<group>/<bench>/new/estimates.json` and prints a Markdown table with
the median time of each SDK benchmark, of its baseline, their ratio (and the ratio of the means), and the
target the issue sets. Exits 1 when a ratio of medians misses its target, 2 when a result is missing.

    python3 tests/benches/report.py [TARGET_DIR]

TARGET_DIR defaults to $CARGO_TARGET_DIR, else the workspace's `target/`.
"""

import json
import os
import sys
from pathlib import Path

# (group, SDK benchmark, baseline benchmark, target ratio)
PAIRS = [
    ("a_chat_round_trip", "sdk_async", "reqwest_async_baseline", 1.05),
    ("a_chat_round_trip", "sdk_blocking", "reqwest_blocking_baseline", 1.05),
    ("b_stream_20000_chunks", "sdk_async", "reqwest_async_baseline", 1.15),
    ("b_stream_20000_chunks", "sdk_blocking", "reqwest_blocking_baseline", 1.15),
    ("c_64_concurrent", "sdk_async", "reqwest_async_baseline", 1.05),
]


def estimates(root: Path, group: str, bench: str):
    path = root / "criterion" / group / bench / "new" / "estimates.json"
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return data["median"]["point_estimate"], data["mean"]["point_estimate"]


def human(ns: float) -> str:
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def main() -> int:
    if len(sys.argv) > 1:
        root = Path(sys.argv[1])
    elif os.environ.get("CARGO_TARGET_DIR"):
        root = Path(os.environ["CARGO_TARGET_DIR"])
    else:
        root = Path(__file__).resolve().parents[2] / "target"
    print("| benchmark | SDK (median) | baseline (median) | ratio | ratio of means | target |")
    print("| --- | --- | --- | --- | --- | --- |")
    status = 0
    for group, sdk, baseline, target in PAIRS:
        try:
            sdk_median, sdk_mean = estimates(root, group, sdk)
            base_median, base_mean = estimates(root, group, baseline)
        except FileNotFoundError as e:
            print(f"| {group}/{sdk} | missing: {e.filename} | | | | |")
            status = 2
            continue
        ratio = sdk_median / base_median
        verdict = "ok" if ratio <= target else "**missed**"
        if ratio > target and status == 0:
            status = 1
        print(
            f"| {group}/{sdk} vs {baseline} | {human(sdk_median)} | {human(base_median)} | "
            f"{ratio:.3f} | {sdk_mean / base_mean:.3f} | ≤ {target:.2f} {verdict} |"
        )
    return status


if __name__ == "__main__":
    sys.exit(main())
