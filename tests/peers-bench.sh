# shellcheck shell=bash
# Shared by the scripts that measure the peers bench (tests/pgo.sh, tests/cachegrind.sh); sourced, not run.

# Builds the peers bench with the target directory $1 and the RUSTFLAGS $2; prints the executable's path.
build_peers() {
  CARGO_TARGET_DIR=$1 RUSTFLAGS=$2 cargo bench --quiet -p groq-tests --bench peers --no-run \
    --message-format=json |
    python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "peers" and m.get("executable"):
        print(m["executable"])'
}

# Starts the bench's Groq-shaped server from the executable $1, writing its URL to the file $2. It serves
# until the caller closes the file descriptor held in $server (the caller's EXIT trap does).
start_server() {
  # shellcheck disable=SC2034
  exec {server}> >("$1" serve > "$2")
  for _ in $(seq 100); do [ -s "$2" ] && break; sleep 0.1; done
  if [ ! -s "$2" ]; then
    echo "the bench's server did not start" >&2
    return 1
  fi
}
