// Imports the requirement catalogue (shared/protocol/requirements.md) as data: suites/requirements.csv.
//   node tests/tools/requirements-to-csv.js ../shared/protocol/requirements.md suites/requirements.csv
// Columns: id, area, level, profile, source, statement, not_testable_reason, checks. This tool writes the first seven
// and keeps the checks column of the file it replaces: that column (the checks citing each id) belongs to the check
// catalogue, and RequirementCoverageTests keeps it in step (MSA_UPDATE_CATALOGUE=1 rewrites it).
const fs = require("fs");
const md = fs.readFileSync(process.argv[2], "utf8");
const out = process.argv[3];
if (!out) throw new Error("usage: requirements-to-csv.js <requirements.md> <requirements.csv>");

/** RFC 4180 records of a CSV text. */
function parseCsv(text) {
  const records = [];
  let row = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(field); field = ""; }
    else if (c === "\n") { row.push(field.replace(/\r$/, "")); records.push(row); row = []; field = ""; }
    else field += c;
  }
  if (field || row.length) { row.push(field); records.push(row); }
  return records;
}
const checksOf = new Map(fs.existsSync(out) ? parseCsv(fs.readFileSync(out, "utf8")).slice(1).map((r) => [r[0], r[7] || ""]) : []);
let area = "";
const rows = [];
const needsSetup = [
  [/S-OIDC/, "needs a scripted OIDC test user and login (S-OIDC), which an unattended black-box run does not have"],
  [/S-2TEN/, "needs credentials of two different tenants (S-2TEN), which a single-credential run does not have"],
  [/S-2KEY/, "needs two simultaneously active credentials of one client (S-2KEY), which a single-credential run does not have"],
  [/S-BURST/, "needs an opt-in request burst (S-BURST) that the harness does not send to a vendor's server uninvited"],
];
// Rows this harness version does not assess although a black-box client could: said plainly, never as "untestable".
const notAssessed = [
  [/^(UPL-WS-\d+|CRE-32)$/, "not assessed by this version: it has no WebSocket client, so it neither opens a stream upload_url nor sends PCM or JSON frames"],
  [/^SEC-0[3457]$/, "not assessed by this version: it neither pins nor reports the negotiated TLS version or cipher suite"],
  [/^SEC-0[68]$/, "not assessed by this version: it verifies certificates (unless --insecure) but does not report the chain, host name or validity period"],
  [/^UPL-05$/, "not assessed by this version: it does not recognise a presigned storage upload_url nor PUT audio to one; it POSTs chunks to {upload_url}/{file_name}"],
  [/^ISO-05$/, "not assessed by this version: its audio fixtures are synthetic, with no distinct spoken keywords to look for in each session's transcript"],
  [/^WH-DEL-15$/, "not assessed by this version: it receives webhooks on its own plain-http listener (or the https tunnel given with --webhook-public-url), so a delivery to http cannot be told from a test set-up the server allows"],
];
// Rows no black-box verdict can fail: a wait that never ends is inconclusive at the deadline, never a failure.
const inconclusiveOnly = [
  [/^(END-11|POLL-09)$/, "no failing verdict from outside: the session scenarios register no webhook and only poll, and a server that never leaves 202 after End cannot be told from a slow one, so it is reported inconclusive at --poll-deadline"],
];
for (const line of md.split("\n")) {
  const heading = line.match(/^## \d+\. (.+)$/);
  if (heading) { area = heading[1].split(" — ")[0].trim(); continue; }
  const cells = line.split("|").slice(1, -1).map((c) => c.trim());
  if (cells.length !== 6 || !/^[A-Z][A-Z-]*-\d+$/.test(cells[0]) || !/^(MUST|SHOULD|MAY)$/.test(cells[1])) continue;
  const [id, level, statement, source, observed, profile] = cells;
  // A row a check cites has no reason: the check says, when it runs, what it needs (e.g. an opt-in second credential).
  const reason = checksOf.get(id) ? ""
    : (needsSetup.find(([re]) => re.test(observed)) || notAssessed.find(([re]) => re.test(id)) || inconclusiveOnly.find(([re]) => re.test(id)) || [null, ""])[1];
  rows.push([id, area, level, profile, source, statement, reason, checksOf.get(id) || ""]);
}
const csv = (v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const lines = [["id", "area", "level", "profile", "source", "statement", "not_testable_reason", "checks"].join(",")];
for (const r of rows) lines.push(r.map(csv).join(","));
fs.writeFileSync(out, lines.join("\n") + "\n");
console.error(`${rows.length} requirements written to ${out}`);
