#!/usr/bin/env bash
# Fuzz sidecar parsing, front-matter splitting and EXIF extraction, each for SECONDS
# (default 600), all at once, seeded from the repository's own sidecars, pages and
# small photos. Needs cargo-fuzz (`cargo install cargo-fuzz`); on a stable toolchain
# RUSTC_BOOTSTRAP=1 lets it use the sanitizer flags it needs.
#
#     fuzz/run.sh            # 10 minutes each
#     fuzz/run.sh 60 exif    # one target, one minute
#
# Crashes land in fuzz/artifacts/<target>/; turn each into a test in tests/corpus.rs
# or the module's unit tests, then fix it.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
shift || true
targets=("${@:-sidecar frontmatter exif}")
targets=(${targets[@]})
root=..

mkdir -p seeds/sidecar seeds/frontmatter seeds/exif
find "$root/photos" "$root/tests/fixtures/bad/sidecars" -name '*.yaml' -exec cp {} seeds/sidecar/ \;
find "$root/content" "$root/tests/fixtures/bad/content" -name '*.md' -exec cp {} seeds/frontmatter/ \;
find "$root/tests/fixtures/photos" "$root/tests/fixtures/bad/photos" -type f -size -60k \
    \( -name '*.jpg' -o -name '*.png' -o -name '*.webp' \) -exec cp {} seeds/exif/ \;

export RUSTC_BOOTSTRAP=1
cargo fuzz build -O "${targets[@]}" 2>/dev/null || cargo fuzz build -O
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    cargo fuzz run -O "$t" "corpus/$t" "seeds/$t" -- \
        -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 > "fuzz-$t.log" 2>&1 &
done
wait
for t in "${targets[@]}"; do
    echo "== $t"
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb|Done|ERROR|SUMMARY" "fuzz-$t.log" || tail -5 "fuzz-$t.log"
    ls "artifacts/$t" 2>/dev/null | sed 's/^/  finding: /' || true
done
