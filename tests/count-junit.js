// Prints "passed failed skipped" from a JUnit XML file (dotnet test has no closing line CI can read).
const fs = require("fs");
const xml = fs.readFileSync(process.argv[2], "utf8");
let tests = 0, failed = 0, skipped = 0;
for (const [tag] of xml.matchAll(/<testsuite\b[^>]*>/g)) {
  const attr = (name) => Number((tag.match(new RegExp(`\\b${name}="(\\d+)"`)) || [0, 0])[1]);
  tests += attr("tests"); failed += attr("failures") + attr("errors"); skipped += attr("skipped");
}
console.log(`${tests - failed - skipped} ${failed} ${skipped}`);
