#!/usr/bin/env bash
# Checks the files in systemd/: `systemd-analyze verify` on the units (any output counts as a failure),
# `systemd-analyze security` for the exposure score, and sysusers.d + tmpfiles.d applied to a scratch root.
#
#   bash scripts/check-units.sh [BINARY]
#
# BINARY is the triggerd the unit's ExecStart= is pointed at for the check (verify insists that it exists);
# default: the debug build. Installs Debian's `systemd` package first when systemd-analyze is missing (CI
# containers); the daemon itself never needs it.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v systemd-analyze >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    echo "check-units: installing the systemd package for systemd-analyze"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends systemd >/dev/null
fi

binary="${1:-$(swift build --show-bin-path)/triggerd}"
[ -x "$binary" ] || { echo "check-units: $binary is not built (run swift build first)" >&2; exit 1; }

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/units" "$scratch/root/etc"
sed "s|^ExecStart=/usr/local/bin/triggerd|ExecStart=$binary|" systemd/triggerd.service > "$scratch/units/triggerd.service"
cp systemd/triggerd.socket "$scratch/units/"

status=0
output="$(systemd-analyze verify "$scratch/units/triggerd.service" "$scratch/units/triggerd.socket" 2>&1)" || status=$?
if [ "$status" != 0 ] || [ -n "$output" ]; then
    echo "check-units: systemd-analyze verify is not clean:" >&2
    echo "$output" >&2
    exit 1
fi
echo "check-units: systemd-analyze verify: clean (triggerd.service, triggerd.socket)"

score="$(systemd-analyze security --offline=yes "$scratch/units/triggerd.service" 2>/dev/null | grep -o 'Overall exposure level.*' || true)"
[ -n "$score" ] && echo "check-units: $score"

systemd-sysusers --root="$scratch/root" "$PWD/systemd/sysusers.d/triggerd.conf" >/dev/null 2>&1 \
    || { echo "check-units: systemd-sysusers refused systemd/sysusers.d/triggerd.conf" >&2; exit 1; }
systemd-tmpfiles --root="$scratch/root" --create "$PWD/systemd/tmpfiles.d/triggerd.conf" \
    || { echo "check-units: systemd-tmpfiles refused systemd/tmpfiles.d/triggerd.conf" >&2; exit 1; }
for dir in var/lib/triggerd var/lib/triggerd/backups run/triggerd etc/triggerd/workflows.d; do
    [ -d "$scratch/root/$dir" ] || { echo "check-units: tmpfiles.d did not create /$dir" >&2; exit 1; }
done
echo "check-units: sysusers.d and tmpfiles.d apply cleanly"
