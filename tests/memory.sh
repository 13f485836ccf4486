#!/usr/bin/env bash
# Peak memory of 200 MB uploads and downloads through both clients, against a local server in another
# process. Each streamed transfer must stay under 50 MB of peak RSS; the in-memory upload is the control
# that shows what reading the whole file costs.
#
#   bash tests/memory.sh [size-in-bytes]
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-200000000}
limit_kb=$((50 * 1024))
cargo build --quiet --release -p groq-tests --bin memory_check
bin=target/release/memory_check
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT

python3 - "$work/big.jsonl" "$size" <<'PY'
import sys
path, size = sys.argv[1], int(sys.argv[2])
line = b'{"custom_id":"r","method":"POST","url":"/v1/chat/completions","body":{"model":"llama-3.1-8b-instant","messages":[{"role":"user","content":"Hello"}]}}\n'
with open(path, "wb") as f:
    written = 0
    while written < size:
        chunk = line * 1000
        f.write(chunk[: size - written])
        written += min(len(chunk), size - written)
PY
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve "$port" "$size" 2>"$work/server.log" &
server=$!
for _ in $(seq 50); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
url="http://127.0.0.1:$port"

status=0
printf '| transfer (%s bytes) | client | peak RSS | client output |\n|---|---|---|---|\n' "$size"
measure() {
  local label=$1 client=$2 must_stream=$3; shift 3
  /usr/bin/time -v "$bin" "$@" >"$work/out" 2>"$work/time" || { cat "$work/out" "$work/time"; exit 1; }
  local kb
  kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$work/time")
  printf '| %s | %s | %s MB | %s |\n' "$label" "$client" "$(awk "BEGIN {printf \"%.1f\", $kb/1024}")" "$(cat "$work/out")"
  if [ "$must_stream" = yes ] && [ "$kb" -gt "$limit_kb" ]; then status=1; fi
}
measure "upload, streamed from disk" groq-async yes upload async "$url" "$work/big.jsonl"
measure "upload, streamed from disk" groq-blocking yes upload blocking "$url" "$work/big.jsonl"
measure "download, streamed to disk" groq-async yes download async "$url" "$work/out-async.bin"
measure "download, streamed to disk" groq-blocking yes download blocking "$url" "$work/out-blocking.bin"
measure "upload from memory (control)" groq-blocking no upload-in-memory "$url" "$work/big.jsonl"
for f in out-async.bin out-blocking.bin; do
  [ "$(stat -c %s "$work/$f")" = "$size" ] || { echo "$f: wrong size"; status=1; }
done
[ $status = 0 ] && echo "all streamed transfers stayed under 50 MB" || echo "a streamed transfer exceeded 50 MB"
exit $status
