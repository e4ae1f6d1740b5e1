#!/usr/bin/env bash
# Vendor the front-end assets and reference data the binary embeds.
#
# The binary never runs npm: this script fetches exact versions from the
# npm registry with `npm pack` (which checks the registry's integrity
# hash), copies the few files we serve into internal/web/static, and the
# result is committed. Run it again after changing a version below, and
# review the diff.
#
# Pinned versions:
#   htmx.org        2.0.11  (BSD-0-Clause)  dist/htmx.min.js
#   echarts         6.1.0   (Apache-2.0)    dist/echarts.min.js
#   china-division  2.7.0   (MIT)           dist/pca-code.json (GB/T 2260 province/city/district)
#   chinese-days    1.5.7   (MIT)           dist/chinese-days.json (holidays and 调休 workdays)
#
# chinese-days is refreshed yearly, when the State Council publishes the
# next year's holiday arrangement.
set -euo pipefail

HTMX_VERSION=2.0.11
ECHARTS_VERSION=6.1.0
CHINA_DIVISION_VERSION=2.7.0
CHINESE_DAYS_VERSION=1.5.7

root="$(cd "$(dirname "$0")/.." && pwd)"
vendor="$root/internal/web/static/vendor"
data="$root/internal/web/static/data"

command -v npm >/dev/null || { echo "vendor-assets: npm is required" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# unpack NAME VERSION: npm pack the exact version and extract it to $work/NAME.
unpack() {
	local name="$1" version="$2" tgz
	tgz="$(cd "$work" && npm pack --silent "$name@$version" | tail -n 1)"
	mkdir -p "$work/$name"
	tar -xzf "$work/$tgz" -C "$work/$name" --strip-components=1
	local got
	got="$(node -p "require('$work/$name/package.json').version")"
	if [ "$got" != "$version" ]; then
		echo "vendor-assets: $name: wanted $version, got $got" >&2
		exit 1
	fi
}

unpack htmx.org "$HTMX_VERSION"
unpack echarts "$ECHARTS_VERSION"
unpack china-division "$CHINA_DIVISION_VERSION"
unpack chinese-days "$CHINESE_DAYS_VERSION"

mkdir -p "$vendor" "$data"
cp "$work/htmx.org/dist/htmx.min.js" "$vendor/htmx.min.js"
cp "$work/htmx.org/LICENSE" "$vendor/htmx.LICENSE.txt"
cp "$work/echarts/dist/echarts.min.js" "$vendor/echarts.min.js"
cp "$work/echarts/LICENSE" "$vendor/echarts.LICENSE.txt"
cp "$work/echarts/NOTICE" "$vendor/echarts.NOTICE.txt"
cp "$work/china-division/dist/pca-code.json" "$data/pca-code.json"
cp "$work/china-division/LICENSE" "$data/china-division.LICENSE.txt"
cp "$work/chinese-days/dist/chinese-days.json" "$data/chinese-days.json"
cp "$work/chinese-days/LICENSE" "$data/chinese-days.LICENSE.txt"
# The service desk's working calendar embeds its own copy (a Go embed
# cannot reach into another package's folder).
cp "$work/chinese-days/dist/chinese-days.json" "$root/internal/support/workcal/chinese-days.json"
cp "$work/chinese-days/LICENSE" "$root/internal/support/workcal/chinese-days.LICENSE.txt"

{
	echo "# Vendored by scripts/vendor-assets.sh from the npm registry; do not edit by hand."
	echo "# package version file sha256"
	for entry in \
		"htmx.org $HTMX_VERSION vendor/htmx.min.js" \
		"echarts $ECHARTS_VERSION vendor/echarts.min.js" \
		"china-division $CHINA_DIVISION_VERSION data/pca-code.json" \
		"chinese-days $CHINESE_DAYS_VERSION data/chinese-days.json"; do
		set -- $entry
		sum="$(sha256sum "$root/internal/web/static/$3" | cut -d' ' -f1)"
		echo "$1 $2 $3 $sum"
	done
} >"$vendor/VERSIONS"

echo "vendor-assets: done"
cat "$vendor/VERSIONS"
