/**
 * The HTML compliance report in a real browser (Debian's Chromium driven by playwright-core), as a reviewer reads it:
 * on a 1280 px screen, printed on A4 and on a phone, nothing may run off the right edge or be cut off inside a box;
 * every id is unique; every table-of-contents entry and every in-page link lands on an element; the summary comes
 * first and names the commit. Run by `npm run test:browser` (not by `npm test`, which must work without Chromium).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { mountOf } from "../../access/graph";
import { adminEquivalents } from "../../access/escalation";
import { loadAccessModels } from "../../access/model";
import { ROOT } from "../helpers";

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

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    outdir = join(mkdtempSync(join(tmpdir(), "vault-platform-browser-")), "cdktf.out");
    run("main.ts", [], { CDKTF_OUTDIR: outdir });
    run("scripts/report.ts", [outdir]);
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
    // Chromium prints it on A4 (the PDF has pages).
    const pdf = await page.pdf({ preferCSSPageSize: true });
    expect(pdf.toString("latin1").match(/\/Type\s*\/Page\b/g)?.length ?? 0).toBeGreaterThan(1);
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

  it("opens with the summary, naming the commit the output was synthesized from", async () => {
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    const first = await page.evaluate(() => {
      const section = document.querySelector("main > section");
      return { id: section?.querySelector("h2")?.id, text: section?.textContent ?? "" };
    });
    expect(first.id).toBe("summary");
    expect(first.text).toContain(commit);
    const envs = JSON.parse(readFileSync(join(outdir, "vault-platform.json"), "utf8")).environments.map((e: { environment: string }) => e.environment);
    for (const env of envs) expect(first.text).toContain(env);
  });

  it("draws each environment's access graph with every auth role and policy of the synthesized output, and every mount in detail", async () => {
    const graphs = await page.evaluate(() =>
      Object.fromEntries(
        Array.from(document.querySelectorAll("svg.access-graph")).map((svg) => [
          svg.getAttribute("data-environment"),
          Array.from(svg.querySelectorAll("text")).map((t) => t.textContent),
        ]),
      ),
    );
    const mounts = await page.evaluate(() => Array.from(document.querySelectorAll("svg.access-graph-mount")).map((svg) => `${svg.getAttribute("data-environment")} ${svg.getAttribute("aria-label")}`));
    const models = await loadAccessModels(outdir);
    for (const model of models) {
      const named = new Set([...model.policies.values()].filter((p) => model.roles.some((r) => r.policies.includes(p.name))).flatMap((p) => p.paths.map(mountOf)));
      expect([...named].filter((m) => !mounts.some((t) => t.startsWith(`${model.environment} Paths under ${m} `)))).toEqual([]);
    }
    expect(Object.keys(graphs).sort()).toEqual(models.map((m) => m.environment).sort());
    for (const model of models) {
      const labels = graphs[model.environment];
      const withPolicies = model.roles.filter((r) => r.policies.some((p) => model.policies.has(p)));
      expect(withPolicies.length).toBeGreaterThan(0);
      expect(withPolicies.map((r) => r.key).filter((k) => !labels.includes(k))).toEqual([]);
      expect([...model.policies.keys()].filter((p) => model.roles.some((r) => r.policies.includes(p)) && !labels.includes(p))).toEqual([]);
    }
  });

  it("names the identities equivalent to an administrator, with what protects each, on the first screen (1280x800)", async () => {
    await page.emulateMedia({ media: "screen" });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.evaluate(() => window.scrollTo(0, 0));
    const firstScreen = await page.evaluate(() => {
      const rows = Array.from(document.querySelectorAll("main tr")).filter((tr) => {
        const box = tr.getBoundingClientRect();
        return box.top >= 0 && box.bottom <= window.innerHeight && box.width > 0;
      });
      return rows.map((tr) => tr.textContent ?? "").join("\n");
    });
    const models = await loadAccessModels(outdir);
    const admins = models.flatMap(adminEquivalents);
    expect(admins.length).toBeGreaterThan(0);
    for (const a of admins) expect(firstScreen).toMatch(new RegExp(`${a.environment}\\s*${a.role.key}`));
  });

  it("the overflow check catches a table wider than the screen", async () => {
    const probe = await browser.newPage({ viewport: { width: 1280, height: 600 } });
    await probe.setContent('<body><table style="width:2000px"><tr><td>wide</td></tr></table><div style="width:200px;overflow:auto"><pre>' + "x".repeat(400) + "</pre></div></body>");
    expect((await overflows(probe)).length).toBeGreaterThanOrEqual(2);
    await probe.close();
  });
});
