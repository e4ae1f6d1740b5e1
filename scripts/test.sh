#!/usr/bin/env bash
# The project's one test command. It makes a fresh Debian 12 machine ready
# (PostgreSQL, Chromium and a CJK font from apt when missing) and runs every
# check: go vet, gofmt, staticcheck, the tests on SQLite and PostgreSQL
# (browser tests included) and a seconds-long smoke run of every benchmark.
#
# Environment:
#   PGHOST PGPORT PGUSER PGPASSWORD  the PostgreSQL to test on (default
#                                    127.0.0.1:5432, user postgres)
#   CI=true                          anything missing is a failure, never a skip
#   STOREOPS_TEST_RACE=core|all|0    race detector: "core" (default) runs
#                                    the whole suite once without it, then
#                                    the concurrency core (platform, store,
#                                    idempotency, jobs, outbox) again with it;
#                                    "all" runs the whole suite with it
#                                    instead (2-3x slower, see
#                                    docs/benchmarks.md); "0" skips it
set -euo pipefail

cd "$(dirname "$0")/.."
started=$(date +%s)
step=setup
trap 'echo "test.sh: FAILED during ${step}" >&2' ERR

export PATH="/usr/local/go/bin:${PATH}"
command -v go >/dev/null || { echo "test.sh: go not found (expected /usr/local/go/bin or PATH)" >&2; exit 1; }
PATH="$(go env GOPATH)/bin:${PATH}"
export PATH

ci=false
[[ "${CI:-}" == "true" ]] && ci=true
export CI="${CI:-}"

log() { printf '==> %s\n' "$*"; }
warn() { printf 'test.sh: warning: %s\n' "$*" >&2; }
# missing fails under CI and only warns elsewhere.
missing() {
	if $ci; then
		echo "test.sh: $* (CI=true: required)" >&2
		exit 1
	fi
	warn "$*; the tests that need it will skip"
}

as_root() {
	if [[ "$(id -u)" == 0 ]]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo -n "$@"
	else
		return 1
	fi
}

apt_updated=false
apt_install() {
	if ! $apt_updated; then
		as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q || return 1
		apt_updated=true
	fi
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

# ---------------------------------------------------------------- PostgreSQL
step=postgresql
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"

pg_ok() {
	command -v psql >/dev/null &&
		psql -X -q -w -d "${PGDATABASE:-postgres}" -c 'SELECT 1' >/dev/null 2>&1
}

pg_local() { [[ "$PGHOST" == 127.0.0.1 || "$PGHOST" == localhost || "$PGHOST" == ::1 || "$PGHOST" == /* ]]; }

pg_prepare() {
	if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
		log "installing PostgreSQL with apt"
		apt_install postgresql || return 1
	fi
	local ver
	ver=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
	if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "${ver} main"; then
		as_root pg_createcluster "$ver" main || return 1
	fi
	# A machine for local tests: let user postgres in over TCP loopback
	# without a password.
	local hba
	hba=$(as_root runuser -u postgres -- psql -X -Atqc 'SHOW hba_file' 2>/dev/null || true)
	[[ -n "$hba" ]] || hba="/etc/postgresql/${ver}/main/pg_hba.conf"
	if ! as_root grep -qE '^host\s+all\s+(all|postgres)\s+127\.0\.0\.1/32\s+trust' "$hba"; then
		log "trusting user postgres on 127.0.0.1 in ${hba}"
		as_root sed -i '1i host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust' "$hba" || return 1
	fi
	if pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $4}' | grep -q online; then
		as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main reload || return 1
	else
		log "starting PostgreSQL ${ver}"
		as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main start || return 1
	fi
	local port
	port=$(pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $3}')
	[[ -n "$port" ]] && PGPORT="$port"
	for _ in $(seq 1 60); do
		pg_ok && return 0
		sleep 1
	done
	return 1
}

if pg_ok; then
	log "PostgreSQL reachable at ${PGHOST}:${PGPORT}"
	export STOREOPS_TEST_POSTGRES=1
elif pg_local && pg_prepare; then
	log "PostgreSQL ready at ${PGHOST}:${PGPORT}"
	export STOREOPS_TEST_POSTGRES=1
else
	missing "PostgreSQL is not reachable at ${PGHOST}:${PGPORT} as ${PGUSER}"
fi

# ---------------------------------------------------------- Chromium and font
step=chromium
have_browser() {
	[[ -x /usr/bin/chromium ]] &&
		dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'install ok installed'
}
if ! have_browser; then
	log "installing chromium and fonts-noto-cjk with apt"
	apt_install chromium fonts-noto-cjk || true
fi
if have_browser; then
	export STOREOPS_CHROMIUM=/usr/bin/chromium
else
	missing "chromium or fonts-noto-cjk is missing"
fi

# ---------------------------------------------------------------- static checks
step="go vet"
log "go vet ./..."
go vet ./...

step=gofmt
log "gofmt"
unformatted=$(find . -name '*.go' -not -path './.git/*' -not -path '*/node_modules/*' \
	-not -path '*/testdata/*' -not -path './vendor/*' -print0 | xargs -0 gofmt -l)
if [[ -n "$unformatted" ]]; then
	echo "test.sh: gofmt -w needed on:" >&2
	echo "$unformatted" >&2
	false
fi

step=staticcheck
if ! command -v staticcheck >/dev/null; then
	log "installing staticcheck"
	go install honnef.co/go/tools/cmd/staticcheck@v0.8.2 || true
fi
if command -v staticcheck >/dev/null; then
	log "staticcheck ./..."
	staticcheck ./...
else
	missing "staticcheck could not be installed"
fi

# ---------------------------------------------------------------- tests
step="go test"
race_mode="${STOREOPS_TEST_RACE:-core}"
dbs="sqlite$([[ -n "${STOREOPS_TEST_POSTGRES:-}" ]] && echo "+postgres")$([[ -n "${STOREOPS_CHROMIUM:-}" ]] && echo "+browser")"
# The race detector makes modernc SQLite several times slower, so by
# default it covers the packages whose tests are about concurrency.
race_pkgs=()
for p in internal/platform internal/store internal/idempotency internal/jobs internal/outbox; do
	[[ -d "$p" ]] && race_pkgs+=("./${p}/...")
done
if [[ "$race_mode" == all ]]; then
	log "go test -race ./... (${dbs})"
	go test -race -count=1 -timeout 25m ./...
else
	log "go test ./... (${dbs})"
	go test -count=1 -timeout 20m ./...
	if [[ "$race_mode" != 0 && ${#race_pkgs[@]} -gt 0 ]]; then
		step="go test -race"
		log "go test -race ${race_pkgs[*]}"
		go test -race -count=1 -timeout 15m "${race_pkgs[@]}"
	fi
fi

# ---------------------------------------------------------------- benchmarks
step="bench smoke"
log "bench/run --smoke"
./bench/run --smoke

step=done
elapsed=$(($(date +%s) - started))
echo "test.sh: OK in ${elapsed}s: vet, gofmt, staticcheck, go test (${dbs}, race: ${race_mode}), bench smoke"
