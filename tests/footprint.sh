#!/usr/bin/env bash
# How much code and data a single call touches: the distinct 64-byte lines of memory that one steady
# sequential chat call executes from and reads or writes, counted by valgrind's lackey, which traces every
# access. Unlike the miss counts of tests/cachegrind.sh, these do not depend on a cache's size: they are
# what a call brings back into the caches when something else has run in between, as the kernel's network
# path and the server do between two calls on a real machine. They repeat within a few lines from run
# to run.
#
# Each client makes 2N calls under lackey (N = 15 by default); the last calls' trace is cut into windows
# of one call's instructions (known from two runs without the trace), and the distinct lines of three
# windows are counted: a window holds the end of one call and the start of the next, which together
# touch what one call does. The table gives each client's instructions and lines per call and its ratio
# to the first client's.
#
#   bash tests/footprint.sh [clients] [runtime] [N]
#   # defaults: raw,raw-typed,groq-async-minimal,groq-async; current (current-thread); 15
#   bash tests/footprint.sh --by-function A B [runtime]
#   # the code and data lines that B touches more than A, and fewer, by function (a data line counts for
#   # the function whose instruction touched it first in the call)
#
# Needs valgrind (`apt-get install valgrind`). About a minute per client on 2 cores, and a few hundred MB
# under /tmp while a trace is read.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tests/peers-bench.sh
. tests/peers-bench.sh
by_function=
if [ "${1:-}" = --by-function ]; then
  [ $# -ge 3 ] || { echo "usage: bash tests/footprint.sh --by-function A B [runtime]" >&2; exit 1; }
  by_function=yes
  clients=$2,$3
  runtime=${4:-current}
  calls=15
else
  clients=${1:-raw,raw-typed,groq-async-minimal,groq-async}
  runtime=${2:-current}
  calls=${3:-15}
fi

start_valgrind_bench

# Runs the bench's client $1 for $2 calls under lackey, with the extra valgrind options that follow.
lackey() {
  local client=$1 n=$2
  shift 2
  valgrind --tool=lackey "$@" "$bench" run --client "$client" --workload sequential --calls "$n" \
    --runtime "$runtime" --base-url "$url"
}

# The instructions lackey counted in a run whose log is on stdin.
instructions() {
  sed -n 's/.*guest instrs: *\([0-9,]*\).*/\1/p' | tr -d , | head -n 1
}

for client in ${clients//,/ }; do
  few=$(lackey "$client" "$calls" 2>&1 > /dev/null | instructions)
  many=$(lackey "$client" $((2 * calls)) 2>&1 > /dev/null | instructions)
  per_call=$(((many - few) / calls))
  # A call's trace has a line per instruction and one per data access, about 1.5 per instruction:
  # keep a dozen calls' worth.
  lackey "$client" $((2 * calls)) --trace-mem=yes --log-fd=9 9>&1 > /dev/null 2> /dev/null |
    tail -n $((per_call * 20)) > "$work/$client.trace"
  echo "$per_call" > "$work/$client.instructions"
  echo "$client done" >&2
done

nm -C -S --defined-only "$bench" > "$work/symbols"
python3 - "$work" "$clients" "$runtime" "$by_function" <<'PY'
import bisect, collections, re, sys

work, clients, runtime, by_function = sys.argv[1], sys.argv[2].split(","), sys.argv[3], sys.argv[4]
LINE = 6  # 64-byte lines
LOAD = 0x108000  # where valgrind loads a position-independent executable on amd64 Linux

def windows(client):
    """Code and data lines of three one-call windows, the last full calls of the trace."""
    per_call = int(open(f"{work}/{client}.instructions").read())
    code, data = [], []  # code[i]: address of instruction i; data[i]: lines it accessed
    for line in open(f"{work}/{client}.trace"):
        kind, _, rest = line.strip().partition(" ")
        address, _, size = rest.strip().partition(",")
        try:
            address, size = int(address, 16), int(size)
        except ValueError:
            continue  # lackey's own messages
        if kind == "I":
            code.append(address)
            data.append(())
        elif kind in ("L", "S", "M") and data:
            data[-1] += (address >> LINE, (address + size - 1) >> LINE)
    # The trace ends with the process's shutdown: skip a call and a half of it.
    end = len(code) - per_call * 3 // 2
    found = []
    for k in range(3):
        start = end - (k + 1) * per_call
        if start < 0:
            sys.exit(f"{client}: the trace holds fewer than 4.5 calls; raise N")
        window = range(start, start + per_call)
        found.append((set(code[i] >> LINE for i in window),
                      set(x for i in window for x in data[i])))
    # For --by-function: each data line of the last window, with the code line that touched it first.
    owner = {}
    for i in range(end - per_call, end):
        for x in data[i]:
            owner.setdefault(x, code[i])
    return per_call, found, owner

results = {c: windows(c) for c in clients}

if not by_function:
    base = clients[0]
    def median(values):
        return sorted(values)[len(values) // 2]
    rows = {}
    for client, (per_call, found, _) in results.items():
        code = median([len(c) for c, _ in found])
        data = median([len(d) for _, d in found])
        rows[client] = (per_call, code, data, code + data)
    print(f"\nPer sequential call ({runtime} runtime), distinct 64-byte lines, ratio to {base}:\n")
    print("| | instructions | code lines | data lines | all lines |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for client, row in rows.items():
        cells = []
        for value, first in zip(row, rows[base]):
            cell = f"{value:,}".replace(",", " ")
            if client != base:
                cell += f" ({value / first:.2f}×)"
            cells.append(cell)
        print(f"| {client} | " + " | ".join(cells) + " |")
    sys.exit(0)

symbols = []
for line in open(f"{work}/symbols"):
    fields = line.rstrip("\n").split(" ", 3)
    if len(fields) == 4 and fields[2] in "tTwW":
        name = re.sub(r"::h[0-9a-f]{16}$", "", fields[3])
        symbols.append((int(fields[0], 16), int(fields[1], 16), name))
symbols.sort()
starts = [start for start, _, _ in symbols]

def function(address):
    """The function of the executable holding the instruction at `address`, by its symbol."""
    address -= LOAD
    i = bisect.bisect_right(starts, address) - 1
    if i >= 0 and address < symbols[i][0] + symbols[i][1]:
        return symbols[i][2]
    return "(outside the executable: libc, the loader)"

a, b = clients
code_lines = {c: collections.Counter(function(line << LINE) for line in results[c][1][0][0])
              for c in clients}
data_lines = {c: collections.Counter(function(line) for line in results[c][2].values())
              for c in clients}
if sum(n for f, n in code_lines[b].items() if f.startswith("(outside")) > \
        sum(code_lines[b].values()) // 2:
    sys.exit("most code lines fall outside the executable: valgrind loaded it elsewhere than "
             f"{LOAD:#x}")

def print_differences(title, counted):
    names = set(counted[a]) | set(counted[b])
    differences = sorted(((counted[b][n] - counted[a][n], n) for n in names), reverse=True)
    differences = [d for d in differences if d[0]]
    print(f"\n{title} per call: {a} {sum(counted[a].values())}, {b} {sum(counted[b].values())}\n")
    print(f"| {b} − {a} | {a} | {b} | function |")
    print("| ---: | ---: | ---: | --- |")
    shown = differences if len(differences) <= 45 else differences[:30] + [None] + differences[-15:]
    for row in shown:
        if row is None:
            print("| … | | | |")
        else:
            difference, name = row
            print(f"| {difference:+d} | {counted[a][name]} | {counted[b][name]} | `{name[:110]}` |")

print_differences("Code lines", code_lines)
print_differences("Data lines, by the function that touched each first", data_lines)
PY
