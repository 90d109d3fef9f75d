#!/usr/bin/env bash
# Builds triggerd and triggerctl for release with the Swift runtime linked in, and installs them with their
# systemd units, sysusers.d/tmpfiles.d snippets, example configuration, shell completions and docs.
#
#   bash scripts/install.sh [PREFIX] [DESTDIR]        (what `make install PREFIX=... DESTDIR=...` runs)
#
# PREFIX defaults to /usr/local; DESTDIR (a staging root for packaging) to none. Directories can be overridden
# with UNITDIR, SYSUSERSDIR, TMPFILESDIR and SYSCONFDIR in the environment; STRIP=0 keeps debug info.
# docs/install.md walks through it.
set -euo pipefail
cd "$(dirname "$0")/.."

PREFIX="${1:-/usr/local}"
DESTDIR="${2:-}"
PREFIX="${PREFIX%/}"
[ -n "$PREFIX" ] || PREFIX=/usr
SWIFT="${SWIFT:-swift}"
# A scratch path of its own: the static build never relinks (or rebuilds) the binaries in .build/release that
# `make run`, the benchmarks or a running soak use.
SCRATCH="${SCRATCH:-.build-static}"

BINDIR="$PREFIX/bin"
UNITDIR="${UNITDIR:-$PREFIX/lib/systemd/system}"
SYSUSERSDIR="${SYSUSERSDIR:-$PREFIX/lib/sysusers.d}"
TMPFILESDIR="${TMPFILESDIR:-$PREFIX/lib/tmpfiles.d}"
# The daemon reads /etc/triggerd/triggerd.yaml by default whatever the prefix (SPEC §2).
SYSCONFDIR="${SYSCONFDIR:-/etc}"
DATADIR="$PREFIX/share"
DOCDIR="$DATADIR/doc/triggerd"

say() { printf 'install: %s\n' "$*"; }
fail() { printf 'install: %s\n' "$*" >&2; exit 1; }

# 1. Build (scripts/release-build.sh). --static-swift-stdlib links the Swift runtime and Foundation into the
#    binaries, so the host needs only the C libraries (glibc, libsqlite3; libcurl when a step sends something),
#    not a Swift toolchain.
say "building release binaries with --static-swift-stdlib (this takes a while on a cold build)"
BUILT="$(SWIFT="$SWIFT" SCRATCH="$SCRATCH" bash scripts/release-build.sh triggerd triggerctl)"

# 2. Check that no Swift runtime library is loaded dynamically.
for program in triggerd triggerctl; do
    [ -x "$BUILT/$program" ] || fail "$BUILT/$program was not built"
    if ldd "$BUILT/$program" | grep -E 'libswift|libFoundation|libdispatch|libBlocksRuntime|lib_FoundationICU' >&2; then
        fail "$program still links the Swift runtime dynamically (above); is --static-swift-stdlib supported here?"
    fi
    if command -v objdump >/dev/null 2>&1; then
        say "$program links: $(objdump -p "$BUILT/$program" | awk '/NEEDED/ {print $2}' | tr '\n' ' ')"
    fi
done

# 3. Install.
root="$DESTDIR"
install -d "$root$BINDIR" "$root$UNITDIR" "$root$SYSUSERSDIR" "$root$TMPFILESDIR" \
    "$root$DATADIR/bash-completion/completions" "$root$DATADIR/zsh/site-functions" \
    "$root$DATADIR/fish/vendor_completions.d" "$root$DOCDIR/examples/workflows" \
    "$root$SYSCONFDIR/triggerd/workflows.d"
# Debug info stripped (144 -> 97 MB); the symbol table stays, so perf and gdb name functions on the host (the
# build exports no dynamic symbols). It is never loaded into memory: it costs disk only. STRIP=0 keeps the
# debug info too.
install -m 0755 "$BUILT/triggerd" "$BUILT/triggerctl" "$root$BINDIR/"
if [ "${STRIP:-1}" != 0 ]; then strip --strip-debug "$root$BINDIR/triggerd" "$root$BINDIR/triggerctl"; fi
say "binaries -> $BINDIR ($(du -sh "$root$BINDIR/triggerd" | cut -f1) + $(du -sh "$root$BINDIR/triggerctl" | cut -f1))"

sed "s|^ExecStart=/usr/local/bin/triggerd|ExecStart=$BINDIR/triggerd|" systemd/triggerd.service > "$root$UNITDIR/triggerd.service"
chmod 0644 "$root$UNITDIR/triggerd.service"
install -m 0644 systemd/triggerd.socket "$root$UNITDIR/"
install -m 0644 systemd/sysusers.d/triggerd.conf "$root$SYSUSERSDIR/triggerd.conf"
install -m 0644 systemd/tmpfiles.d/triggerd.conf "$root$TMPFILESDIR/triggerd.conf"
say "units -> $UNITDIR, sysusers.d -> $SYSUSERSDIR, tmpfiles.d -> $TMPFILESDIR"

# The example configuration goes to /etc only when there is none (never overwrite an operator's edits); the
# example workflows only to the docs, since some of them run on a schedule.
install -m 0644 etc/triggerd.yaml "$root$DOCDIR/examples/triggerd.yaml"
install -m 0644 etc/workflows/*.yaml "$root$DOCDIR/examples/workflows/"
if [ -e "$root$SYSCONFDIR/triggerd/triggerd.yaml" ]; then
    say "kept the existing $SYSCONFDIR/triggerd/triggerd.yaml (the example is in $DOCDIR/examples)"
else
    install -m 0644 etc/triggerd.yaml "$root$SYSCONFDIR/triggerd/triggerd.yaml"
    say "example configuration -> $SYSCONFDIR/triggerd/triggerd.yaml"
fi
install -m 0644 README.md docs/*.md "$root$DOCDIR/"
[ -f CHANGELOG.md ] && install -m 0644 CHANGELOG.md "$root$DOCDIR/"

# Completions come from swift-argument-parser, so they always match the installed triggerctl.
"$BUILT/triggerctl" --generate-completion-script bash > "$root$DATADIR/bash-completion/completions/triggerctl"
"$BUILT/triggerctl" --generate-completion-script zsh > "$root$DATADIR/zsh/site-functions/_triggerctl"
"$BUILT/triggerctl" --generate-completion-script fish > "$root$DATADIR/fish/vendor_completions.d/triggerctl.fish"
chmod 0644 "$root$DATADIR/bash-completion/completions/triggerctl" "$root$DATADIR/zsh/site-functions/_triggerctl" \
    "$root$DATADIR/fish/vendor_completions.d/triggerctl.fish"
say "completions -> $DATADIR/{bash-completion/completions,zsh/site-functions,fish/vendor_completions.d}"

# 4. On a live system (no DESTDIR, as root, systemd present): create the user and directories now.
if [ -z "$DESTDIR" ] && [ "$(id -u)" = 0 ]; then
    if command -v systemd-sysusers >/dev/null 2>&1; then
        systemd-sysusers "$SYSUSERSDIR/triggerd.conf" && say "created the triggerd user and triggerd-admin group"
    fi
    if command -v systemd-tmpfiles >/dev/null 2>&1 && getent passwd triggerd >/dev/null; then
        systemd-tmpfiles --create "$TMPFILESDIR/triggerd.conf" && say "created /var/lib/triggerd, /run/triggerd, $SYSCONFDIR/triggerd/workflows.d"
    fi
    if [ -d /run/systemd/system ]; then
        systemctl daemon-reload && say "systemd reloaded its units"
    fi
fi

cat <<NEXT
install: done. Next:
  triggerd --check-config                       # validate $SYSCONFDIR/triggerd/triggerd.yaml and the workflows
  systemctl enable --now triggerd.service       # or triggerd.socket for socket activation
  triggerctl status                             # as root, triggerd, or a member of socket_group
NEXT
