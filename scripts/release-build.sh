#!/usr/bin/env bash
# Builds the binaries we ship: release, Swift runtime linked in, laid out for a small resident footprint.
# `make install` (scripts/install.sh) and `make bench` (bench/run.sh) build through this script, so the
# benchmarks measure exactly what gets installed. Prints the directory holding the binaries.
#
#   bash scripts/release-build.sh [PRODUCT ...]       default: triggerd triggerctl
#
# Environment: SWIFT (swift), SCRATCH (.build-static: never the .build/release that `make run` uses),
# TRIGGERD_RELR=0 to drop packed relocations (they need glibc >= 2.36 on the target host).
#
# What the flags buy (idle RSS of triggerd with 100 workflows, docs/proof.md#footprint):
# - every function in its own section (Swift and C), so the linker can place functions one by one;
# - lld with build/triggerd.order.gz (`make order-file`, scripts/order-file.py): the functions start-up and
#   idling execute are laid next to each other, so the kernel's fault-around (it maps up to 64 KiB around each
#   touched page) maps little code that never runs;
# - packed relative relocations (DT_RELR): 120,000 relocations in 24 KiB instead of 2.9 MiB read at start-up;
# - no exported dynamic symbols for our own code (nothing looks them up, and the loader no longer searches
#   34,000 of them while relocating libstdc++ and friends; perf and gdb use .symtab, which `make install`
#   keeps).
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT="${SWIFT:-swift}"
SCRATCH="${SCRATCH:-.build-static}"
products=("$@")
[ "${#products[@]}" -gt 0 ] || products=(triggerd triggerctl)

flags=(-c release --static-swift-stdlib --scratch-path "$SCRATCH"
    -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections -Xcc -fdata-sections
    -Xswiftc -use-ld=lld -Xlinker --no-export-dynamic)
[ "${TRIGGERD_RELR:-1}" = 0 ] || flags+=(-Xlinker -z -Xlinker pack-relative-relocs)
# TRIGGERD_ORDER_FILE (a plain list) replaces it: scripts/order-file.py links candidate orders that way.
if [ -n "${TRIGGERD_ORDER_FILE:-}" ] || [ -s build/triggerd.order.gz ]; then
    # Names the code no longer has are skipped: a stale order file only makes the layout less compact.
    mkdir -p "$SCRATCH"
    order="$(cd "$SCRATCH" && pwd)/triggerd.order"
    if [ -n "${TRIGGERD_ORDER_FILE:-}" ]; then
        cp "$TRIGGERD_ORDER_FILE" "$order.new"
    else
        gzip -dc build/triggerd.order.gz >"$order.new"
    fi
    # SwiftPM does not know the link reads this file: when it changed, remove the linked binaries so they are
    # linked again (nothing is recompiled); when it did not, leave them alone.
    if cmp -s "$order.new" "$order"; then
        rm "$order.new"
    else
        mv "$order.new" "$order"
        rm -f "$SCRATCH"/*/release/triggerd "$SCRATCH"/*/release/triggerctl
    fi
    flags+=(-Xlinker "--symbol-ordering-file=$order" -Xlinker --no-warn-symbol-ordering)
fi
for product in "${products[@]}"; do
    "$SWIFT" build "${flags[@]}" --product "$product" >&2
done
"$SWIFT" build "${flags[@]}" --show-bin-path
