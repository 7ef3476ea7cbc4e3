#!/usr/bin/env bash
# MSA Conformance: sets up what it needs, then
#   ./run.sh [options]      runs every suite (against the embedded reference server, or --target URL)
#   ./run.sh --self-test    runs the project's own tests and ends with "N passed, N failed"
# ./run.sh --help lists every option.
set -euo pipefail
# Relative paths given by the caller (--report-dir, --token-file) stay relative to the caller's directory.
ROOT=$(cd "$(dirname "$0")" && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

CLI="$ROOT/suites/Msa.Conformance.Cli/bin/Debug/net10.0/msa-conformance.dll"

say() { printf '%s\n' "$*" >&2; }

need() {
  command -v "$1" >/dev/null 2>&1 || { say "run.sh: '$1' is not installed. $2"; exit 2; }
}

# npm ci in a folder, again only when its lock file changed.
npm_install() {
  local dir="$1" stamp="$1/node_modules/.installed-lock"
  if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
    say "Installing npm packages in ${dir#$ROOT/} (npm ci)…"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2) || { say "run.sh: npm ci failed in ${dir#$ROOT/}"; exit 2; }
    cp "$dir/package-lock.json" "$stamp"
  fi
}

setup() {
  need dotnet "Install the .NET 10 SDK (https://dot.net) and try again."
  need node "Install Node.js 20+ and npm (Debian: apt-get install nodejs npm)."
  need npm "Install npm (Debian: apt-get install npm)."
  # The Allure renderer, pinned by suites/report/package-lock.json.
  npm_install "$ROOT/suites/report"
  # A warm run skips dotnet build (about 10 s) when no input changed since the last good build.
  local stamp="$ROOT/suites/Msa.Conformance.Cli/bin/.build-stamp"
  if [ -f "$stamp" ] && [ -f "$CLI" ] && [ -z "$(changed_since "$stamp")" ]; then return; fi
  say "Building (dotnet build Conformance.sln)…"
  local started; started=$(mktemp)   # stamped from before the build, so an edit made during it is not missed
  if ! dotnet build "$ROOT/Conformance.sln" -nologo -v q -clp:ErrorsOnly > "$ROOT/reports/build.log" 2>&1; then
    rm -f "$started"; cat "$ROOT/reports/build.log" >&2; say "run.sh: the build failed (log: reports/build.log)"; exit 2
  fi
  mv "$started" "$stamp"
}

# The first build input (source, project, schema, catalogue, fixture) newer than the stamp, if any.
changed_since() {
  find "$ROOT/suites" "$ROOT/tests" "$ROOT/schemas" "$ROOT/Conformance.sln" "$ROOT/Directory.Build.props" \
    \( -name bin -o -name obj -o -name node_modules \) -prune -o -type f -newer "$1" -print -quit 2>/dev/null
}

browser_setup() {
  # The browser test opens the HTML reports in Debian's Chromium, driven by playwright-core (pinned in tests/browser).
  if [ ! -x /usr/bin/chromium ] && [ -z "${CHROMIUM:-}" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      say "Installing Debian's chromium for the browser test…"
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >&2 || say "run.sh: could not install chromium; the browser test will fail"
    else
      say "run.sh: the browser test needs Chromium at /usr/bin/chromium (Debian: apt-get install chromium) or CHROMIUM=/path"
    fi
  fi
  npm_install "$ROOT/tests/browser"
  # The Allure 2 test renders the results with Allure 2.46 (pinned in tests/allure2), which runs on Java 17.
  if ! command -v java >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      say "Installing Java 17 (Debian's openjdk-17-jre-headless) for the Allure 2 test…"
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless) >&2 || say "run.sh: could not install Java; the Allure 2 test will fail"
    else
      say "run.sh: the Allure 2 test needs Java 17 (Debian: apt-get install openjdk-17-jre-headless)"
    fi
  fi
  npm_install "$ROOT/tests/allure2"
}

self_test() {
  browser_setup
  local out="$ROOT/reports/self-test"
  rm -rf "$out"; mkdir -p "$out"
  set +e
  # OPENSSL_CONF: OpenSSL at security level 0 in the test process only, so the reference server can serve TLS 1.0/1.1 for
  # the fault SEC-05 must catch (every other handshake of the tests caps its versions itself).
  OPENSSL_CONF="$ROOT/tests/Msa.Conformance.Tests/openssl-legacy.cnf" \
  dotnet test "$ROOT/tests/Msa.Conformance.Tests/Msa.Conformance.Tests.csproj" --no-build --nologo \
    --logger "junit;LogFilePath=$out/junit.xml;MethodFormat=Class;FailureBodyFormat=Verbose" \
    --logger "console;verbosity=minimal" "$@"
  local rc=$?
  set -e
  # dotnet test prints no closing line CI can read: count the JUnit file, and call zero tests a failure.
  local counts
  counts=$(node "$ROOT/tests/count-junit.js" "$out/junit.xml" 2>/dev/null || echo "0 0 0")
  local passed failed skipped
  read -r passed failed skipped <<<"${counts:-0 0 0}"
  echo "${passed} passed, ${failed} failed, ${skipped} skipped"
  if [ "$rc" -ne 0 ] || [ "${passed:-0}" -eq 0 ]; then exit 1; fi
}

case "${1:-}" in
  --help|-h) [ -f "$CLI" ] || { mkdir -p "$ROOT/reports"; setup; } ;;
  *) mkdir -p "$ROOT/reports"; setup ;;
esac

if [ "${1:-}" = "--self-test" ]; then
  shift
  self_test "$@"
else
  exec dotnet "$CLI" "$@"
fi
