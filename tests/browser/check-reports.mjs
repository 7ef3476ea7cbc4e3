// Opens both HTML reports of a run in headless Chromium and checks what a certifier must be able to see:
// the suites, a failing check with its message, and that check's request and response.
//   node check-reports.mjs REPORT_DIR REQUIREMENT_ID SUITE SUB_SUITE   (e.g. TPL-01 "Get Session" "Templates")
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [reportDir, requirement, ...treePath] = process.argv.slice(2);
const failures = [];
const expect = (ok, what) => { if (!ok) failures.push(what); console.log(`${ok ? "ok  " : "FAIL"} ${what}`); };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  // Offline means offline: any request that leaves the file system fails the test.
  const external = [];
  page.on("request", (r) => { if (!r.url().startsWith("file:") && !r.url().startsWith("data:") && !r.url().startsWith("blob:")) external.push(r.url()); });

  // 1. The one-page conformance report.
  await page.goto(pathToFileURL(path.join(reportDir, "conformance-report.html")).href);
  const onePage = await page.locator("body").innerText();
  expect(/not conformant/i.test(onePage), "one-page report shows the verdict 'not conformant'");
  expect(onePage.includes("Get Session"), "one-page report lists the Get Session area");
  const row = page.locator("tr", { hasText: requirement }).first();
  expect(await row.count() > 0 && /failed/.test(await row.innerText()), `one-page report shows ${requirement} as failed`);
  expect(/Expected:/.test(await row.innerText()), `one-page report shows the failure message of ${requirement}`);
  // Its requirement links straight to that check's result in the Allure report.
  const link = row.locator("a").first();
  const [href, checkId] = [await link.getAttribute("href"), await link.getAttribute("title")];
  await page.goto(new URL(href, page.url()).href);
  await page.waitForTimeout(2000);
  expect((await page.locator("body").innerText()).includes(checkId), `the ${requirement} link opens ${checkId} in the Allure report`);

  // 2. The Allure report: the suite tree, the failing test, its message, its request and response.
  await page.goto(pathToFileURL(path.join(reportDir, "allure-report", "index.html")).href);
  // Open the tree section by section (a click toggles; the tree renders lazily, so click until the next level shows).
  const levels = ["MedScribeAlliance v0.1", ...treePath];
  const test = page.getByText(new RegExp(`^${requirement} ·`)).first();
  for (let i = 0; i < levels.length; i++) {
    const next = i + 1 < levels.length ? page.locator('[data-testid="tree-section-title"]', { hasText: levels[i + 1] }).first() : test;
    for (let attempt = 0; attempt < 3 && !(await next.isVisible()); attempt++) {
      await page.locator('[data-testid="tree-section-title"]', { hasText: levels[i] }).first().click();
      await page.waitForTimeout(400);
    }
    expect(await next.isVisible(), `Allure report shows ${i + 1 < levels.length ? "the suite " + levels[i + 1] : "the failing test " + requirement}`);
  }
  await test.click();
  await page.getByText("Expected:", { exact: false }).first().waitFor({ timeout: 10000 }).then(
    () => expect(true, `Allure report shows the failure message of ${requirement}`),
    () => expect(false, `Allure report shows the failure message of ${requirement}`));
  for (const name of ["Evidence request", "Evidence response"]) {
    const attachment = page.getByText(new RegExp(`^${name}`)).first();
    if (await attachment.count() === 0) { expect(false, `Allure report lists the attachment '${name}'`); continue; }
    await attachment.click();
  }
  const showsRequest = (text) => /GET http:\/\/127\.0\.0\.1:\d+\/\S+\/sessions\//.test(text);
  const showsResponse = (text) => /HTTP 200/.test(text) && /"templates"/.test(text);
  // Attachments load lazily and a loaded CI machine is slow: wait (up to 15 s) until both have rendered.
  let detail = "";
  for (const until = Date.now() + 15000; Date.now() < until; await page.waitForTimeout(250)) {
    detail = await page.locator("body").innerText();
    if (showsRequest(detail) && showsResponse(detail)) break;
  }
  expect(showsRequest(detail), "Allure report shows the request line of the evidence");
  expect(showsResponse(detail), "Allure report shows the response of the evidence");
  expect(!/Bearer (?!\[REDACTED\])\S+/.test(detail), "no bearer credential is visible");
  if (process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT, fullPage: false });
  expect(external.length === 0, `the reports call nothing outside the file system${external.length ? ": " + external.join(", ") : ""}`);
} finally {
  await browser.close();
}
if (failures.length) { console.error(`${failures.length} browser check(s) failed`); process.exit(1); }
