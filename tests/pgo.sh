#!/usr/bin/env bash
# What profile-guided optimisation does to the clients' single calls: the peers bench is built as usual,
# built again instrumented and trained on the sequential workload of the async clients (both runtimes),
# and built a third time with that profile. The default build and the PGO build then run interleaved in
# rounds, each client's run paired with the same build's raw run of the round, so that a build is only
# ever compared with itself; the PGO build's raw is also shown against the default raw.
#
#   bash tests/pgo.sh [rounds] [runtime]      # defaults: 15 rounds, current-thread runtime
#
# Needs `llvm-profdata` (`rustup component add llvm-tools-preview`). The two extra builds go to
# target/pgo-generate and target/pgo-use (about 7 minutes each from scratch on 2 cores; a rerun rebuilds
# only what changed), the profile to target/pgo-data.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tests/peers-bench.sh
. tests/peers-bench.sh
rounds=${1:-15}
runtime=${2:-current}
clients=raw,raw-typed,groq-async,groq-async-minimal
calls=10000
train_calls=3000

profdata=$(find "$(rustc --print sysroot)" -name llvm-profdata -type f | head -n 1)
if [ ! -x "$profdata" ]; then
  echo "llvm-profdata not found: rustup component add llvm-tools-preview" >&2
  exit 1
fi
work=$(mktemp -d)
data=$PWD/target/pgo-data
rm -rf "$data/raw" && mkdir -p "$data/raw"
trap 'exec {server}>&- 2>/dev/null || true; rm -rf "$work"' EXIT

default=$(build_peers "$PWD/target" "${RUSTFLAGS:-}")
generate=$(build_peers "$PWD/target/pgo-generate" "-Cprofile-generate=$data/raw")

# One server for everything, from the default build; it serves until its stdin closes (the EXIT trap).
start_server "$default" "$work/url"
url=$(head -n 1 "$work/url")

for client in ${clients//,/ }; do
  for flavour in current multi; do
    LLVM_PROFILE_FILE="$data/raw/%m_%p.profraw" "$generate" run --client "$client" \
      --workload sequential --calls "$train_calls" --runtime "$flavour" --base-url "$url" > /dev/null
  done
done
"$profdata" merge -o "$data/merged.profdata" "$data/raw"
use=$(build_peers "$PWD/target/pgo-use" "-Cprofile-use=$data/merged.profdata")

python3 - "$url" "$rounds" "$runtime" "$calls" "$clients" "$default" "$use" <<'PY'
import statistics, subprocess, sys

url, rounds, runtime, calls, clients, default, use = sys.argv[1:]
rounds, clients = int(rounds), clients.split(",")
builds = {"default": default, "pgo": use}
runs = [(b, c) for b in builds for c in clients]
wall = {run: [] for run in runs}
for r in range(int(rounds)):
    for build, client in runs[r % len(runs):] + runs[: r % len(runs)]:
        out = subprocess.run(
            [builds[build], "run", "--client", client, "--workload", "sequential", "--calls", calls,
             "--runtime", runtime, "--base-url", url],
            capture_output=True, text=True, check=True).stdout
        fields = dict(f.split("=") for f in out.split())
        wall[(build, client)].append(int(fields["wall_us"]))
    print(f"round {r + 1}/{rounds} done", file=sys.stderr)

def paired(run, base):
    ratios = [a / b for a, b in zip(wall[run], wall[base])]
    q = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else ratios * 3
    return f"{statistics.median(ratios):.3f}× ({q[0]:.3f}–{q[2]:.3f})"

print(f"\n{calls} sequential calls, {runtime} runtime, {rounds} interleaved rounds; each client paired "
      "with its own build's raw, median (quartiles):\n")
print("| build | median raw | " + " | ".join(c for c in clients if c != "raw") + " |")
print("| --- | ---: |" + " ---: |" * (len(clients) - 1))
for build in builds:
    base = (build, "raw")
    cells = [paired((build, c), base) for c in clients if c != "raw"]
    print(f"| {build} | {statistics.median(wall[base]) / 1e3:.0f} ms | " + " | ".join(cells) + " |")
print(f"\nThe PGO build's raw against the default build's raw, paired: "
      f"{paired(('pgo', 'raw'), ('default', 'raw'))}")
PY
