// The built site in a real browser, as a visitor gets it: Debian's Chromium driven by
// Playwright, axe-core for accessibility, Lighthouse for the four scores.
//
//     node check.mjs PUBLIC_DIR ARTIFACTS_DIR PORT
//
// PUBLIC_DIR must have been built with `--base-url http://127.0.0.1:PORT/`, so that
// canonical and share links point at the server this script starts. Screenshots and
// the Lighthouse reports go to ARTIFACTS_DIR. Exits 1 when a check fails.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";

const [publicDir, artifacts, portArg] = process.argv.slice(2);
if (!publicDir || !artifacts || !portArg) {
  console.error("usage: node check.mjs PUBLIC_DIR ARTIFACTS_DIR PORT");
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.CHROME_PATH || "/usr/bin/chromium";
const FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];
const base = `http://127.0.0.1:${portArg}/`;
fs.mkdirSync(artifacts, { recursive: true });

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures += 1;
}

// A static server like a real host: index.html for folders, the site's 404 page, gzip
// for text (every static host compresses).
const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".json": "application/json", ".xml": "application/xml", ".svg": "image/svg+xml",
  ".png": "image/png", ".jpg": "image/jpeg", ".webp": "image/webp", ".txt": "text/plain",
};
const server = http.createServer((req, res) => {
  let p = decodeURIComponent(new URL(req.url, base).pathname);
  if (p.includes("..")) p = "/404.html";
  let file = path.join(publicDir, p);
  if (p.endsWith("/")) file = path.join(file, "index.html");
  let status = 200;
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    file = path.join(publicDir, "404.html");
    status = 404;
  }
  const type = TYPES[path.extname(file)] || "application/octet-stream";
  let body = fs.readFileSync(file);
  const headers = { "Content-Type": type, "Cache-Control": "public, max-age=3600" };
  if (/text|json|xml|svg|javascript/.test(type) && /gzip/.test(req.headers["accept-encoding"] || "")) {
    body = zlib.gzipSync(body);
    headers["Content-Encoding"] = "gzip";
  }
  res.writeHead(status, headers);
  res.end(body);
});
await new Promise((r) => server.listen(Number(portArg), "127.0.0.1", r));

// The pages to visit, found through the site's own open data.
const signs = JSON.parse(fs.readFileSync(path.join(publicDir, "signs.json"), "utf8")).signs;
const first = signs.find((s) => s.tags.length && s.country_name) || signs[0];
const middle = signs[Math.floor(signs.length / 2)];
const index = JSON.parse(fs.readFileSync(path.join(publicDir, "search.json"), "utf8"));
const captioned = index.signs.find((s) => s[6].split(" ").some((w) => w.length > 5));
const word = captioned[6].split(/\W+/).find((w) => w.length > 5);
const countrySlug = (n) => n.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
  .replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
const pages = {
  home: "",
  sign: middle.url.replace(/^\//, ""),
  tag: `tags/${first.tags[0]}/`,
  styles: "tags/",
  countries: "countries/",
  country: `countries/${countrySlug(first.country_name)}/`,
  map: "map/",
  search: `search/?q=${encodeURIComponent(word)}`,
};
// A multilingual build: the Spanish home, sign and styles pages are checked as well
// (Nu checks every page already; axe, the screenshots and Lighthouse take these).
const spanish = fs.existsSync(path.join(publicDir, "es", "index.html"));
if (spanish) {
  pages["es-home"] = "es/";
  pages["es-sign"] = "es/" + pages.sign;
  pages["es-styles"] = "es/tags/";
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS.slice(1) });
const tile = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64");

async function open(viewport, url, colorScheme = "light") {
  const context = await browser.newContext({ viewport, colorScheme });
  const page = await context.newPage();
  // Map tiles come from the network, which CI does not have: serve a blank tile.
  await page.route(/tile\.openstreetmap\.org/, (r) => r.fulfill({ body: tile, contentType: "image/png" }));
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  const bytes = { total: 0, thirdParty: [] };
  page.on("response", async (r) => {
    const u = new URL(r.url());
    if (u.origin !== new URL(base).origin && !/openstreetmap/.test(u.host)) bytes.thirdParty.push(r.url());
    // A response may still arrive as its page closes: count what can be read.
    try {
      const len = Number((await r.headerValue("content-length")) || 0);
      bytes.total += len || (await r.body()).length;
    } catch { /* redirects have no body; a closed page has no headers */ }
  });
  await page.goto(base + url, { waitUntil: "networkidle" });
  return { context, page, errors, bytes };
}

// 1. Every page type at a phone's and a laptop's size: no console error, a screenshot.
for (const [w, h, scheme] of [[390, 844, "light"], [1440, 900, "light"], [390, 844, "dark"], [1440, 900, "dark"]]) {
  for (const [name, url] of Object.entries(pages)) {
    const { context, page, errors } = await open({ width: w, height: h }, url, scheme);
    if (name === "search") await page.waitForSelector("#search-results .card", { timeout: 5000 }).catch(() => {});
    await page.screenshot({ path: path.join(artifacts, `${name}-${w}x${h}-${scheme}.png`), fullPage: true });
    check(errors.length === 0, `${name} at ${w}×${h}: no console error ${errors.length ? JSON.stringify(errors) : ""}`);
    await context.close();
  }
}

// 2. The home page's weight on first view, and no third-party request.
{
  const { context, bytes } = await open({ width: 390, height: 844 }, "");
  check(bytes.total <= 150 * 1024, `home page first view: ${(bytes.total / 1024).toFixed(0)} KB transferred (budget 150 KB)`);
  check(bytes.thirdParty.length === 0, `home page: no third-party request ${bytes.thirdParty.join(" ")}`);
  await context.close();
}

// 3. The keyboard moves between signs.
{
  const { context, page } = await open({ width: 390, height: 844 }, pages.sign);
  const next = await page.getAttribute('link[rel="next"]', "href");
  const prev = await page.getAttribute('link[rel="prev"]', "href");
  if (next) {
    await Promise.all([page.waitForURL((u) => u.pathname === next), page.keyboard.press("ArrowRight")]);
    check(new URL(page.url()).pathname === next, `→ goes to the older sign (${next})`);
    await Promise.all([page.waitForURL((u) => u.pathname === "/" + pages.sign), page.keyboard.press("ArrowLeft")]);
    check(new URL(page.url()).pathname === "/" + pages.sign, "← comes back");
  } else {
    check(Boolean(prev), "the sign page links to another sign");
  }
  await context.close();
}

// 3b. The viewer (PhotoSwipe): opens with focus inside, the caption shown, an opaque
// backdrop; → past this sign's last photo opens the older sign's page with the viewer
// on its first photo, ← comes back; a drag swipes; a click zooms; Esc closes and gives
// focus back to the photo link.
{
  const { context, page } = await open({ width: 1440, height: 900 }, pages.sign);
  const viewer = () => page.waitForSelector(".pswp--open .pswp__img", { state: "visible", timeout: 5000 })
    .then(() => true, () => false);
  const slideSrc = () => page.$eval(".pswp__item[aria-hidden='false'] .pswp__img:not(.pswp__img--placeholder)",
    (i) => i.getAttribute("src")).catch(() => null);
  await page.click("a.photo-link");
  check(await viewer(), "viewer: a photo opens in it");
  await page.waitForTimeout(400);
  check(await page.evaluate(() => Boolean(document.activeElement && document.activeElement.closest(".pswp"))),
    "viewer: focus moves into it");
  check((await page.textContent(".pswp__caption")).trim().length > 0, "viewer: the caption is shown");
  const bg = await page.$eval(".pswp__bg", (e) => getComputedStyle(e).opacity);
  check(Number(bg) === 1, `viewer: the backdrop is opaque (${bg})`);
  const photos = await page.$$eval("a.photo-link", (as) => as.length);
  const next = await page.getAttribute('link[rel="next"]', "href");
  if (next) {
    for (let k = 1; k < photos; k += 1) { await page.keyboard.press("ArrowRight"); await page.waitForTimeout(300); }
    await Promise.all([page.waitForURL((u) => u.pathname === next, { timeout: 5000 }), page.keyboard.press("ArrowRight")])
      .catch(() => {});
    const u = new URL(page.url());
    check(u.pathname === next && /^#photo-1$/.test(u.hash), `viewer: → past the last photo opens the older sign (${u.pathname}${u.hash})`);
    check(await viewer(), "viewer: it is open on the older sign's page");
    await page.waitForTimeout(600); // the opening fade: PhotoSwipe takes keys once open
    await Promise.all([page.waitForURL((u2) => u2.pathname === "/" + pages.sign, { timeout: 5000 }), page.keyboard.press("ArrowLeft")])
      .catch(() => {});
    check(new URL(page.url()).pathname === "/" + pages.sign, "viewer: ← before the first photo comes back to the newer sign");
    check(await viewer(), "viewer: open again on the way back");
    await page.waitForTimeout(400);
  }
  // A drag from right to left moves on (to the next photo or the older sign).
  const before = [await slideSrc(), page.url()];
  await page.mouse.move(1100, 450);
  await page.mouse.down();
  for (let x = 1100; x >= 300; x -= 50) await page.mouse.move(x, 450);
  await page.mouse.up();
  await page.waitForTimeout(1500);
  const after = [await slideSrc(), page.url()];
  check(before[0] !== after[0] || before[1] !== after[1], "viewer: a swipe moves to the next photo");
  await viewer();
  await page.waitForTimeout(400);
  await page.click(".pswp__button--zoom").catch(() => {});
  await page.waitForTimeout(600);
  check(await page.isVisible(".pswp--zoomed-in"), "viewer: the zoom button zooms in");
  await page.keyboard.press("Escape");
  await page.waitForTimeout(800);
  check(!(await page.isVisible(".pswp")), "viewer: Escape closes it");
  await context.close();
}

// 3c. The viewer on a touch screen: a double tap zooms in (and another back out); a
// pinch (two fingers moving apart, sent through the DevTools protocol as real touch
// points) zooms in. Measured as a visitor sees it: the shown photo's width.
{
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await page.goto(base + pages.sign, { waitUntil: "networkidle" });
  await page.tap("a.photo-link");
  const shown = ".pswp__item[aria-hidden='false'] .pswp__img:not(.pswp__img--placeholder)";
  const open = await page.waitForSelector(`.pswp--open ${shown}`, { state: "visible", timeout: 5000 }).then(() => true, () => false);
  check(open, "touch viewer: a tap opens the photo");
  await page.waitForTimeout(800);
  const width = () => page.$eval(shown, (i) => i.getBoundingClientRect().width).catch(() => 0);
  const w0 = await width();
  const [cx, cy] = [195, 422];
  await page.touchscreen.tap(cx, cy);
  await page.waitForTimeout(120);
  await page.touchscreen.tap(cx, cy);
  await page.waitForTimeout(900);
  const w1 = await width();
  check(w1 > w0 * 1.2, `touch viewer: a double tap zooms in (photo ${w0.toFixed(0)} → ${w1.toFixed(0)} px wide)`);
  await page.touchscreen.tap(cx, cy);
  await page.waitForTimeout(120);
  await page.touchscreen.tap(cx, cy);
  await page.waitForTimeout(900);
  const w2 = await width();
  check(Math.abs(w2 - w0) < 2, `touch viewer: a second double tap zooms back out (${w2.toFixed(0)} px)`);
  const cdp = await context.newCDPSession(page);
  const fingers = (d) => [{ x: cx - d, y: cy, id: 1 }, { x: cx + d, y: cy, id: 2 }];
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: fingers(30) });
  for (let d = 40; d <= 160; d += 10) {
    await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: fingers(d) });
    await page.waitForTimeout(16);
  }
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await page.waitForTimeout(900);
  const w3 = await width();
  check(w3 > w0 * 1.5, `touch viewer: a pinch zooms in (photo ${w0.toFixed(0)} → ${w3.toFixed(0)} px wide)`);
  await context.close();
}

// 4. Search finds a sign by a word of its caption, as it is typed.
{
  const { context, page } = await open({ width: 390, height: 844 }, "search/");
  await page.click("#search-q");
  await page.keyboard.type(word, { delay: 30 });
  await page.waitForSelector("#search-results .card", { timeout: 5000 }).catch(() => {});
  const titles = await page.$$eval("#search-results .card-title a", (as) => as.map((a) => a.textContent));
  check(titles.includes(captioned[1]), `typing "${word}" finds "${captioned[1]}" (${titles.length} results)`);
  check(new URL(page.url()).searchParams.get("q") === word, "the query is kept in the address");
  await context.close();
}

// 5. axe-core: no serious or critical violation on any page type.
const axePath = path.join(here, "node_modules/axe-core/axe.min.js");
for (const [name, url] of Object.entries(pages)) {
  const { context, page } = await open({ width: 1440, height: 900 }, url);
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () => await window.axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
  }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  check(bad.length === 0, `axe on ${name}: ${bad.length ? bad.map((v) => `${v.id} (${v.impact}, ${v.nodes.length}×)`).join(", ") : "no serious or critical violation"}`);
  await context.close();
}
await browser.close();

// 6. Lighthouse on the home, a sign, the styles, the countries and the map pages (and the
// Spanish home and sign page of a multilingual build): performance, accessibility, best
// practices and SEO, each at least 95 (mobile, Lighthouse's default throttling).
const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: FLAGS });
try {
  for (const name of ["home", "sign", "styles", "countries", "map"].concat(spanish ? ["es-home", "es-sign"] : [])) {
    const result = await lighthouse(base + pages[name], {
      port: chrome.port,
      output: "html",
      logLevel: "error",
      onlyCategories: ["performance", "accessibility", "best-practices", "seo"],
    });
    fs.writeFileSync(path.join(artifacts, `lighthouse-${name}.html`), result.report);
    const cats = result.lhr.categories;
    const scores = Object.fromEntries(Object.entries(cats).map(([k, v]) => [k, Math.round(v.score * 100)]));
    const low = Object.entries(scores).filter(([, s]) => s < 95);
    for (const [k] of low) {
      const misses = cats[k].auditRefs
        .map((r) => result.lhr.audits[r.id])
        .filter((a) => a && a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== "informative")
        .map((a) => a.id);
      console.log(`     ${k}: ${misses.join(", ")}`);
    }
    check(low.length === 0, `Lighthouse ${name}: ${JSON.stringify(scores)}`);
  }
} finally {
  await chrome.kill();
}

server.close();
console.log(failures ? `${failures} check(s) failed` : "every check passed");
process.exit(failures ? 1 : 0);
