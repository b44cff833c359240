/**
 * The HTML compliance report in a real browser (Debian's Chromium driven by playwright-core), as a reviewer reads it:
 * on a 1280 px screen, printed on A4 and on a phone, nothing may run off the right edge or be cut off inside a box;
 * every id is unique; every table-of-contents entry and every in-page link lands on an element; the summary comes
 * first and names the commit. Run by `npm run test:browser` (not by `npm test`, which must work without Chromium).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { adminEquivalents } from "../../access/escalation";
import { accessModel } from "../../access/model";
import { tenantAccess, tenantReaders } from "../../access/tenants";
import { keyDecryption } from "../../compliance/report/key-access";
import { readSynthesized } from "../../synthesized/manifest";
import { ROOT } from "../helpers";

/** The A4 page budget a reviewer prints (#25 point 5). */
const MAX_PAGES = 25;

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--headless"];
const MM = 96 / 25.4;
const A4_WIDTH_MM = 210;

function run(script: string, args: string[], env: Record<string, string> = {}): void {
  const result = spawnSync(process.execPath, ["--require", "./scripts/register-ts.js", script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`${script} failed:\n${result.stderr}`);
}

/**
 * Everything that is cut off in the current layout: the page wider than the viewport, an element reaching past the
 * left or right edge, or a box whose content is wider than the box (scrolled, clipped or spilling over).
 */
function overflows(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const problems: string[] = [];
    const name = (el: Element) =>
      `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}> "${(el.textContent ?? "").trim().slice(0, 60)}"`;
    if (document.documentElement.scrollWidth > width) problems.push(`page is ${document.documentElement.scrollWidth} px wide in ${width} px`);
    for (const el of Array.from(document.body.querySelectorAll("*"))) {
      if (el.closest("svg") && el.tagName.toLowerCase() !== "svg") continue; // the drawing is checked as one box
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.right > width + 0.5 || box.left < -0.5) problems.push(`${name(el)} spans ${Math.round(box.left)}..${Math.round(box.right)} px`);
      else if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) problems.push(`${name(el)} holds ${el.scrollWidth} px in ${el.clientWidth} px`);
    }
    return problems;
  });
}

/** Printable width of an A4 page under the report's own @page rule, in CSS px. */
function a4PrintableWidth(page: Page): Promise<number> {
  return page.evaluate(
    ({ mm, a4 }) => {
      for (const sheet of Array.from(document.styleSheets)) {
        for (const rule of Array.from(sheet.cssRules)) {
          if (rule instanceof CSSPageRule && /A4/i.test(rule.style.getPropertyValue("size"))) {
            const side = (v: string) => (v.endsWith("mm") ? parseFloat(v) : NaN);
            return (a4 - side(rule.style.marginLeft) - side(rule.style.marginRight)) * mm;
          }
        }
      }
      throw new Error("no @page rule with size A4 and margins in mm");
    },
    { mm: MM, a4: A4_WIDTH_MM },
  );
}

describe("compliance report in Chromium", () => {
  let browser: Browser;
  let page: Page;
  let url: string;
  let outdir: string;
  let event: { number: number; head: string; base: string };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    const dir = mkdtempSync(join(tmpdir(), "vault-platform-browser-"));
    outdir = join(dir, "cdktf.out");
    // As the pull-request workflow runs it: GitHub's event payload names the head (the checkout is a merge commit),
    // and the base is a first pull request's (an empty stacks/: every access is new).
    const git = (...a: string[]) => execFileSync("git", a, { cwd: ROOT, encoding: "utf8" }).trim();
    event = { number: 7, head: git("rev-parse", "HEAD~1"), base: git("rev-parse", "HEAD~2") };
    writeFileSync(join(dir, "event.json"), JSON.stringify({ pull_request: { number: event.number, head: { sha: event.head }, base: { sha: event.base } } }));
    run("main.ts", [], { CDKTF_OUTDIR: outdir, GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: join(dir, "event.json") });
    mkdirSync(join(dir, "base", "stacks"), { recursive: true });
    run("scripts/report.ts", [outdir, "--base", join(dir, "base")]);
    url = pathToFileURL(join(outdir, "compliance-report.html")).href;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(url);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("fits a 1280 px screen: nothing runs off the edge or is cut off", async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ media: "screen" });
    expect(await overflows(page)).toEqual([]);
  });

  it("fits A4 paper: print stylesheet, nothing wider than the printable width", async () => {
    await page.emulateMedia({ media: "print" });
    const width = Math.floor(await a4PrintableWidth(page));
    expect(width).toBeGreaterThan(600);
    await page.setViewportSize({ width, height: 1100 });
    expect(await overflows(page)).toEqual([]);
    // No drawing is taller than a page: the printer would slice it.
    const pageHeight = await page.evaluate((mm) => {
      const rule = Array.from(document.styleSheets).flatMap((s) => Array.from(s.cssRules)).find((r) => r instanceof CSSPageRule) as CSSPageRule;
      return (297 - parseFloat(rule.style.marginTop) - parseFloat(rule.style.marginBottom)) * mm;
    }, MM);
    const tall = await page.evaluate((max) => Array.from(document.querySelectorAll("svg")).map((svg) => [svg.getAttribute("aria-label"), svg.getBoundingClientRect().height] as const).filter(([, h]) => h > max), pageHeight);
    expect(tall).toEqual([]);
  }, 120_000);

  it(`prints on at most ${MAX_PAGES} A4 pages (counted in the PDF Chromium prints)`, async () => {
    await page.emulateMedia({ media: "print" });
    const pdf = await page.pdf({ preferCSSPageSize: true });
    // Each page object of the PDF is `/Type /Page` (the page tree is `/Type /Pages`).
    const pages = pdf.toString("latin1").match(/\/Type\s*\/Page(?![a-z])/g)?.length ?? 0;
    expect(pages).toBeGreaterThan(1);
    expect(pages).toBeLessThanOrEqual(MAX_PAGES);
  }, 120_000);

  it("stays readable on a narrow screen (390 px): nothing runs off the edge", async () => {
    await page.emulateMedia({ media: "screen" });
    await page.setViewportSize({ width: 390, height: 800 });
    expect(await overflows(page)).toEqual([]);
  });

  it("gives every element a unique id", async () => {
    const ids = await page.evaluate(() => Array.from(document.querySelectorAll("[id]")).map((e) => e.id));
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it("links every section and subsection from the table of contents, and every link lands", async () => {
    const { toc, headings, broken } = await page.evaluate(() => {
      const target = (a: Element) => decodeURIComponent((a.getAttribute("href") ?? "").slice(1));
      const links = Array.from(document.querySelectorAll('a[href^="#"]'));
      return {
        toc: Array.from(document.querySelectorAll("nav a[href^='#']")).map(target),
        headings: Array.from(document.querySelectorAll("main h2, main h3")).map((h) => h.id),
        broken: links.filter((a) => !document.getElementById(target(a))).map((a) => a.getAttribute("href")),
      };
    });
    expect(headings.length).toBeGreaterThan(10);
    expect(headings.filter((id) => !toc.includes(id))).toEqual([]);
    expect(broken).toEqual([]);
  });

  /** The text a 1280x800 screen shows before any scrolling: every text node lying wholly within the first 800 px. */
  async function firstScreen(): Promise<string> {
    await page.emulateMedia({ media: "screen" });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.evaluate(() => window.scrollTo(0, 0));
    return page.evaluate(() => {
      const out: string[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      const range = document.createRange();
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        range.selectNodeContents(n);
        const box = range.getBoundingClientRect();
        if (box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight) out.push(n.textContent ?? "");
      }
      return out.join(" ").replace(/\s+/g, " ");
    });
  }

  it("opens with the summary, naming the pull request's head commit (not GitHub's merge commit)", async () => {
    const first = await page.evaluate(() => {
      const section = document.querySelector("main > section");
      return { id: section?.querySelector("h2")?.id, text: section?.textContent ?? "" };
    });
    expect(first.id).toBe("summary");
    const shown = await firstScreen();
    expect(shown).toContain(`Pull request #${event.number}, head commit ${event.head}`);
    const merge = execFileSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    expect(shown.indexOf(merge)).toBeGreaterThan(shown.indexOf(event.head));
  });

  it("answers the review on the first screen (1280x800): verdict, changes, suppressions, administrators, tenants' readers, backup keys", async () => {
    const shown = await firstScreen();
    const environments = readSynthesized(outdir);
    const reference = environments.find((e) => e.environment === "prod") ?? environments[0];
    expect(shown).toMatch(/Verdict: (PASS|REVIEW|BLOCKED)\./);
    for (const env of environments) {
      const model = accessModel(env);
      // Against the empty base every role is new.
      expect(shown).toMatch(new RegExp(`${env.environment}[^.]*: access [^;]*${model.roles.length} role\\(s\\) added`));
      for (const d of env.destructions) expect(shown).toContain(d.resource);
      for (const s of env.suppressions) {
        expect(shown).toContain(s.rule);
        expect(shown).toContain(s.resource.replace(/_[0-9A-F]{8}$/, ""));
        expect(shown).toContain(s.owner);
        expect(shown).toContain(s.approver ?? "none recorded");
        expect(shown).toContain(s.expires);
      }
      const admins = adminEquivalents(model);
      expect(admins.length).toBeGreaterThan(0);
      for (const a of admins) expect(shown).toContain(a.role.key);
      // Keys nobody can decrypt are flagged in the verdict, by environment.
      for (const k of keyDecryption(env).filter((x) => x.decrypt?.length === 0)) expect(shown).toContain(`${env.environment} ${k.title}`);
    }
    // The reference environment's answers in full.
    const tenants = tenantAccess(accessModel(reference), reference.tenants);
    expect(tenants.length).toBeGreaterThan(0);
    for (const t of tenants) {
      expect(shown).toContain(t.tenant.name);
      const readers = tenantReaders(t);
      for (const key of [...readers.direct, ...readers.escalation]) expect(shown).toContain(key);
    }
    const keys = keyDecryption(reference);
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) expect(shown).toContain(k.title);
  });

  it("draws one small access drawing per tenant, each naming every identity that reaches it, and no all-roles graph", async () => {
    const drawn = await page.evaluate(() =>
      Array.from(document.querySelectorAll("svg.tenant-access")).map((svg) => ({
        tenant: svg.getAttribute("data-tenant"),
        labels: Array.from(svg.querySelectorAll("text")).map((t) => t.textContent ?? ""),
      })),
    );
    const environments = readSynthesized(outdir);
    const reference = environments.find((e) => e.environment === "prod") ?? environments[0];
    const tenants = tenantAccess(accessModel(reference), reference.tenants);
    expect(drawn.map((d) => d.tenant).sort()).toEqual(tenants.map((t) => t.tenant.name).sort());
    for (const t of tenants) {
      const labels = drawn.find((d) => d.tenant === t.tenant.name)!.labels;
      expect([...t.direct.map((g) => g.role.key), ...t.escalation.map((e) => e.role.key)].filter((k) => !labels.includes(k))).toEqual([]);
    }
    expect(await page.evaluate(() => document.querySelectorAll("svg.access-graph, svg.access-graph-mount").length)).toBe(0);
  });

  it("the overflow check catches a table wider than the screen", async () => {
    const probe = await browser.newPage({ viewport: { width: 1280, height: 600 } });
    await probe.setContent('<body><table style="width:2000px"><tr><td>wide</td></tr></table><div style="width:200px;overflow:auto"><pre>' + "x".repeat(400) + "</pre></div></body>");
    expect((await overflows(probe)).length).toBeGreaterThanOrEqual(2);
    await probe.close();
  });
});
