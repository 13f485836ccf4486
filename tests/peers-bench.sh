# shellcheck shell=bash
# Shared by the scripts that measure the peers bench (tests/pgo.sh, tests/cachegrind.sh, tests/footprint.sh);
# sourced, not run.

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

# For the scripts that run the bench under valgrind: checks that valgrind is installed, makes a scratch
# directory, builds the bench and starts its server. Sets $work (the directory), $bench (the executable)
# and $url, and an EXIT trap that stops the server and removes $work.
start_valgrind_bench() {
  if ! command -v valgrind > /dev/null; then
    echo "valgrind not found: apt-get install valgrind" >&2
    return 1
  fi
  work=$(mktemp -d)
  trap 'exec {server}>&- 2>/dev/null || true; rm -rf "$work"' EXIT
  bench=$(build_peers "$PWD/target" "${RUSTFLAGS:-}")
  start_server "$bench" "$work/url"
  # shellcheck disable=SC2034
  url=$(head -n 1 "$work/url")
}
