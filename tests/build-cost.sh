#!/usr/bin/env bash
# What a one-call program costs to build: one on groq-async (this repository's, by path) and one on
# async-openai (crates.io, `chat-completion`), each making one chat call in `main` under `#[tokio::main]`.
# Both are generated into a temp dir and built, debug and release, each from an empty target dir, in the
# same run. Downloads are fetched first and not timed. Prints a Markdown table: wall and CPU (user + sys)
# time of each build, their ratio, and how many compilation units (compiler artifacts) each build made.
#
#   nice -n 15 bash tests/build-cost.sh
#
# Environment: ASYNC_OPENAI_VERSION (default 0.43), KEEP=1 keeps the temp dir, TMPDIR where it is made
# (`TMPDIR=/dev/shm` when the disk is short: each target dir is removed once measured, but one build takes
# up to ~1.5 GB). Both projects are built in the same run, one after the other, so they share the machine's
# load; the load averages at the start and the end are printed with the table.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
openai_version=${ASYNC_OPENAI_VERSION:-0.43}
work=$(mktemp -d)
if [ "${KEEP:-}" = 1 ]; then echo "work dir: $work" >&2; else trap 'rm -rf "$work"' EXIT; fi
# A compiler wrapper (sccache) would make a cold build warm.
unset RUSTC_WRAPPER CARGO_BUILD_RUSTC_WRAPPER CARGO_TARGET_DIR CARGO_BUILD_TARGET_DIR || true

tokio_dep='tokio = { version = "1", features = ["rt-multi-thread", "macros"] }'

mkdir -p "$work/groq/src" "$work/openai/src"
cat >"$work/groq/Cargo.toml" <<EOF
[package]
name = "one-call-groq"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
groq-async = { path = "$repo/groq-async" }
$tokio_dep

[workspace]
EOF
cat >"$work/groq/src/main.rs" <<'EOF'
use groq_async::types::{ChatCompletionRequestMessage, CreateChatCompletionRequest};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = groq_async::Client::builder().build()?;
    let request = CreateChatCompletionRequest::from_messages(
        "llama-3.3-70b-versatile",
        [ChatCompletionRequestMessage::user("Explain the importance of fast language models")],
    );
    let completion = client.chat().completions().create(&request).await?;
    println!("{}", completion.content().unwrap_or_default());
    Ok(())
}
EOF
cat >"$work/openai/Cargo.toml" <<EOF
[package]
name = "one-call-openai"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
async-openai = { version = "$openai_version", features = ["chat-completion"] }
$tokio_dep

[workspace]
EOF
cat >"$work/openai/src/main.rs" <<'EOF'
use async_openai::types::chat::{ChatCompletionRequestUserMessage, CreateChatCompletionRequestArgs};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = async_openai::Client::new();
    let request = CreateChatCompletionRequestArgs::default()
        .model("llama-3.3-70b-versatile")
        .messages([ChatCompletionRequestUserMessage::from(
            "Explain the importance of fast language models",
        )
        .into()])
        .build()?;
    let completion = client.chat().create(request).await?;
    let content = completion.choices.first().and_then(|c| c.message.content.as_deref());
    println!("{}", content.unwrap_or_default());
    Ok(())
}
EOF

for project in groq openai; do
  (cd "$work/$project" && cargo fetch --quiet)
done

load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# build PROJECT PROFILE: prints "wall cpu units" of a build from an empty target dir.
build() {
  local project=$1 profile=$2 flag=""
  [ "$profile" = release ] && flag=--release
  local target="$work/target-$project-$profile"
  (cd "$work/$project" &&
    CARGO_TARGET_DIR=$target /usr/bin/time -f '%e %U %S' -o "$work/time" \
      cargo build --offline $flag --message-format=json >"$work/messages.json" 2>"$work/stderr") || {
    cat "$work/stderr" >&2
    return 1
  }
  local units
  units=$(grep -c '"reason":"compiler-artifact"' "$work/messages.json")
  [ "${KEEP:-}" = 1 ] || rm -rf "$target"
  awk -v units="$units" '{printf "%.1f %.1f %d\n", $1, $2 + $3, units}' "$work/time"
}

declare -A result
for profile in debug release; do
  for project in groq openai; do
    echo "building $project ($profile) ..." >&2
    result[$project-$profile]=$(build "$project" "$profile")
    echo "  ${result[$project-$profile]} (wall s, CPU s, units)" >&2
  done
done

echo
echo "One-call binary from an empty target dir; $(rustc --version | cut -d' ' -f1-2), $(nproc) core(s); async-openai $(grep -A1 '^name = "async-openai"$' "$work/openai/Cargo.lock" | sed -n 's/version = "\(.*\)"/\1/p'); load average $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end."
echo
echo "| build | groq-async wall | groq-async CPU | async-openai wall | async-openai CPU | wall ratio (groq/openai) | CPU ratio | units (groq / openai) |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for profile in debug release; do
  read -r gw gc gu <<<"${result[groq-$profile]}"
  read -r ow oc ou <<<"${result[openai-$profile]}"
  awk -v p="$profile" -v gw="$gw" -v gc="$gc" -v gu="$gu" -v ow="$ow" -v oc="$oc" -v ou="$ou" \
    'BEGIN {printf "| %s | %.1f s | %.1f s | %.1f s | %.1f s | %.2f | %.2f | %d / %d |\n", p, gw, gc, ow, oc, gw / ow, gc / oc, gu, ou}'
done
