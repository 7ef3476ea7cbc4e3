#!/usr/bin/env bash
# Speed and memory of a full run against the embedded reference server, with a set processing delay.
#   tests/benchmark.sh [processing_ms] [session_lifetime_s]
# Prints: wall time against the floor (longest server-side wait + process start), polling jitter (p95 distance of
# the poll-to-poll interval from the cadence), peak memory (largest process), and the highest GET rate on one
# session (from the smallest gap between two GETs of the same session).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PROCESSING_MS=${1:-3000}
LIFETIME_S=${2:-8}
OUT=$(mktemp -d)
"$ROOT/run.sh" --help >/dev/null   # set-up and build, outside the measurement

cli="$ROOT/suites/Msa.Conformance.Cli/bin/Debug/net10.0/msa-conformance.dll"
suites=$(ls -t "$ROOT"/suites/Msa.Conformance.Suites/bin/*/net10.0/Msa.Conformance.Suites.dll | head -1)
now_ms() { date +%s%3N; }

# Process start: the CLI starting and dotnet test starting the suites' host (a filter that matches nothing).
t0=$(now_ms); dotnet "$cli" --help >/dev/null; t1=$(now_ms)
dotnet test "$suites" --nologo --filter "FullyQualifiedName=none" >/dev/null 2>&1 || true; t2=$(now_ms)
start_ms=$(( (t1 - t0) + (t2 - t1) ))

export MSA_Embedded__ProcessingMs=$PROCESSING_MS MSA_Embedded__SessionLifetimeSeconds=$LIFETIME_S
/usr/bin/time -v -o "$OUT/time.txt" dotnet "$cli" --report-dir "$OUT/report" > "$OUT/run.log" 2>&1 || { cat "$OUT/run.log"; exit 1; }

node - "$OUT" "$PROCESSING_MS" "$LIFETIME_S" "$start_ms" <<'JS'
const fs = require("fs");
const [out, processingMs, lifetimeS, startMs] = process.argv.slice(2).map((v, i) => (i ? Number(v) : v));
const time = fs.readFileSync(`${out}/time.txt`, "utf8");
const wall = time.match(/Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)/);
const wallS = (Number(wall[1] || 0) * 3600) + Number(wall[2]) * 60 + Number(wall[3]);
const rssMb = Number(time.match(/Maximum resident set size \(kbytes\): (\d+)/)[1]) / 1024;
const polling = JSON.parse(fs.readFileSync(`${out}/report/polling.json`, "utf8"));
const cadence = polling.cadence_ms;
const deviations = [], gaps = [];
for (const s of polling.scenarios) {
  const starts = s.polls.map(p => p.started_ms);
  for (let i = 1; i < starts.length; i++) deviations.push(Math.abs(starts[i] - starts[i - 1] - cadence));
  const gets = s.session_get_times_ms;
  for (let i = 1; i < gets.length; i++) gets[i] - gets[i - 1] >= 0 && gets.length > 1 && (gaps.push(gets[i] - gets[i - 1]));
}
deviations.sort((a, b) => a - b);
const p95 = deviations.length ? deviations[Math.min(deviations.length - 1, Math.floor(0.95 * deviations.length))] : 0;
// The expiry scenario waits for expires_at (+1.5 s margin) and then GETs (1 + stability GETs) at the cadence.
const serverWaitS = Math.max(processingMs / 1000, lifetimeS + 1.5);
const floorS = serverWaitS + startMs / 1000;
const summary = JSON.parse(fs.readFileSync(`${out}/report/summary.json`, "utf8"));
console.log(`verdict                   ${summary.verdict} (${summary.checks.length} checks)`);
console.log(`wall time                 ${wallS.toFixed(1)} s`);
console.log(`floor                     ${floorS.toFixed(1)} s (server-side wait ${serverWaitS.toFixed(1)} s + process start ${(startMs / 1000).toFixed(1)} s)`);
console.log(`wall / floor              ${(wallS / floorS).toFixed(2)} (target <= 1.5)`);
console.log(`polling jitter p95        ${p95.toFixed(0)} ms from a ${cadence} ms cadence over ${deviations.length} intervals (target <= 100 ms)`);
console.log(`peak memory               ${rssMb.toFixed(0)} MB, largest process (target <= 300 MB)`);
const minGap = Math.min(...gaps);
console.log(`closest GETs of a session ${minGap.toFixed(0)} ms apart = at most ${(1000 / minGap).toFixed(2)} GET/s (target about 1)`);
JS
rm -rf "$OUT"
