#!/usr/bin/env bash
# What a single call costs each client in instructions and cache misses, counted by valgrind's cachegrind
# rather than timed: the counts do not depend on the machine's load, so two builds, or two clients, can be
# compared where a clock's rounds spread by more than the difference. Each client makes N and 3N
# sequential chat calls (N = 1 000 by default) under cachegrind against the bench's server, and the table
# gives the difference divided by 2N: per steady call, start-up excluded. The caches are simulated with
# a fixed geometry, that of the project's machines (first level: 32 KB of instructions, 8-way, and 48 KB
# of data, 12-way; second level 2 MB), so the counts do not depend on the machine's caches: a miss count
# says how much code and data a call touches, not what a miss costs on a given machine. Branches are
# predicted by cachegrind's simple model of a predictor, not by a real one.
#
# With stream clients, it also counts each one's 20 000-chunk stream, whole process (start-up, about
# 2 % of it, included).
#
#   bash tests/cachegrind.sh [clients] [runtime] [N] [stream clients]
#   # defaults: raw,raw-typed,groq-async,groq-async-minimal; current (current-thread); 1000; none
#   bash tests/cachegrind.sh --check [limits]
#   # CI: raw and the clients of the limits file (tests/cachegrind-limits by default), 1 000 calls on a
#   # current-thread runtime, and the streams it limits; fails if a count, as a ratio to raw's, is over
#   # its limit
#
# Needs valgrind (`apt-get install valgrind`). On a current-thread runtime the counts repeat from run to
# run within a few per call; on a multi-thread one valgrind runs the threads one at a time, so the counts
# say little about what threads cost each other. About 20 s per client and 1 000 calls on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tests/peers-bench.sh
. tests/peers-bench.sh
limits=
if [ "${1:-}" = --check ]; then
  limits=${2:-tests/cachegrind-limits}
  [ -f "$limits" ] || { echo "no limits file $limits" >&2; exit 1; }
  # raw, then each client the limits name, in their order; the stream for those with a stream limit.
  clients=raw,$(awk '!/^#/ && NF { print $1 }' "$limits" | awk '!seen[$0]++' | paste -sd, -)
  streams=$(awk '!/^#/ && $2 == "stream" { print $1 }' "$limits" | awk '!seen[$0]++' | paste -sd, -)
  [ -z "$streams" ] || streams=raw,$streams
  runtime=current
  calls=1000
else
  clients=${1:-raw,raw-typed,groq-async,groq-async-minimal}
  runtime=${2:-current}
  calls=${3:-1000}
  streams=${4:-}
fi

start_valgrind_bench

# Counts one run of the bench's client $1 on the workload $2 ($3 calls) into the file $4.
count() {
  valgrind --tool=cachegrind --cache-sim=yes --branch-sim=yes --cachegrind-out-file=/dev/null \
    --I1=32768,8,64 --D1=49152,12,64 --LL=2097152,16,64 \
    "$bench" run --client "$1" --workload "$2" --calls "$3" --runtime "$runtime" \
    --base-url "$url" > /dev/null 2> "$4"
}

for client in ${clients//,/ }; do
  for n in "$calls" $((3 * calls)); do
    count "$client" sequential "$n" "$work/$client.$n"
  done
  echo "$client done" >&2
done
for client in ${streams//,/ }; do
  count "$client" stream 1 "$work/$client.stream"
  echo "$client's stream done" >&2
done

python3 - "$work" "$clients" "$calls" "$runtime" "$streams" "$limits" <<'PY'
import re, sys

work, clients, calls, runtime = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3]), sys.argv[4]
streams, limits = [c for c in sys.argv[5].split(",") if c], sys.argv[6]
counters = {"instructions": r"I\s+refs", "instruction-cache misses": r"I1\s+misses",
            "data-cache misses": r"D1\s+misses", "mispredicted branches": r"Mispredicts"}
# The names a limits file gives the counters.
short = {"instructions": "instructions", "i1-misses": "instruction-cache misses",
         "d1-misses": "data-cache misses", "mispredicts": "mispredicted branches"}

def summary(client, run):
    text = open(f"{work}/{client}.{run}").read()
    found = {}
    for name, label in counters.items():
        m = re.search(label + r":\s+([\d,]+)", text)
        if not m:
            sys.exit(f"no '{label}' in cachegrind's summary for {client}:\n{text[-2000:]}")
        found[name] = int(m.group(1).replace(",", ""))
    return found

# counts[workload][client][counter]: per steady call, or for the whole stream's process.
counts = {"sequential": {}, "stream": {}}
for client in clients:
    few, many = summary(client, calls), summary(client, 3 * calls)
    counts["sequential"][client] = {name: (many[name] - few[name]) / (2 * calls) for name in counters}
for client in streams:
    counts["stream"][client] = summary(client, "stream")

def table(title, found):
    names = list(found)
    base = names[0]
    print(f"\n{title}, ratio to {base}:\n")
    print("| | " + " | ".join(names) + " |")
    print("| --- |" + " ---: |" * len(names))
    for name in counters:
        cells = []
        for client in names:
            value = found[client][name]
            cell = f"{value:,.0f}".replace(",", " ")
            if client != base and found[base][name]:
                cell += f" ({value / found[base][name]:.2f}×)"
            cells.append(cell)
        print(f"| {name} | " + " | ".join(cells) + " |")

table(f"Per sequential call ({3 * calls} calls minus {calls}, {runtime} runtime)", counts["sequential"])
if streams:
    table(f"One 20 000-chunk stream, whole process ({runtime} runtime)", counts["stream"])

if limits:
    print(f"\nLimits from {limits} (ratio to raw):\n")
    over = 0
    for number, line in enumerate(open(limits), 1):
        fields = line.split("#", 1)[0].split()
        if not fields:
            continue
        if len(fields) != 4 or fields[1] not in counts or fields[2] not in short:
            sys.exit(f"{limits}:{number}: expected `client workload counter limit`, the workload "
                     f"sequential or stream, the counter one of {', '.join(short)}: {line.strip()}")
        client, workload, counter, limit = fields[0], fields[1], short[fields[2]], float(fields[3])
        found = counts[workload]
        ratio = found[client][counter] / found["raw"][counter]
        verdict = "ok" if ratio <= limit else "OVER"
        over += verdict == "OVER"
        print(f"  {verdict:4} {client} {workload} {fields[2]}: {ratio:.3f}× (limit {limit:.2f}×)")
    if over:
        sys.exit(f"\n{over} count(s) over their limit: a change made a call or a stream cost more "
                 f"than raw's by more than {limits} allows. Find what it added with `bash "
                 f"tests/cachegrind.sh`; if the cost is wanted, raise the limit in the same commit and "
                 f"say why.")
PY
