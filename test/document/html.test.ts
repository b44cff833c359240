/** The HTML rendering of a document: self-contained, unique ids, a table of contents of every section, cards. */
import { figure, group, heading, link, paragraph, table, toMarkdown, type Block } from "../../document/document";
import { toHtml } from "../../document/html";

const ids = (html: string) => [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
const hrefs = (html: string) => [...html.matchAll(/ href="#([^"]+)"/g)].map((m) => m[1]);

const DOC: Block[] = [
  heading(1, "Report"),
  paragraph("Made from `abc`."),
  heading(2, "Summary", "summary"),
  table(["rule", "status"], [[link("VLT-TLS-001", "dev--rule-vlt-tls-001"), "pass"], ["X", "fail"]]),
  ...["dev", "prod"].flatMap((env): Block[] => [
    heading(2, `Environment ${env}`, env),
    heading(3, "Backups"),
    heading(4, "Bucket a"),
    heading(4, "Bucket a"),
    group(`${env}--rule-vlt-tls-001`, [paragraph("**Why:** because")]),
  ]),
];

describe("HTML rendering", () => {
  const html = toHtml("t", DOC);

  it("is one self-contained page: inline style, no script, no external resource, escaped content", () => {
    const page = toHtml("t", [heading(1, "R"), { kind: "code", language: "hcl", text: 'path "a/<b>" {}' }, paragraph("a <b> & `c<d>`")]);
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain("<style>");
    expect(page).not.toMatch(/<script|<link|src=|https?:\/\//);
    expect(page).toContain("path &quot;a/&lt;b&gt;&quot; {}");
    expect(page).toContain("a &lt;b&gt; &amp; <code>c&lt;d&gt;</code>");
  });

  it("gives every heading a unique id, scoped by its level-2 section", () => {
    const all = ids(html);
    expect(all.filter((id, i) => all.indexOf(id) !== i)).toEqual([]);
    expect(all).toEqual(expect.arrayContaining(["summary", "dev", "dev--backups", "dev--bucket-a", "dev--bucket-a-2", "prod--backups", "prod--bucket-a"]));
  });

  it("links every level-2, -3 and -4 heading from the table of contents, and every link lands", () => {
    const nav = html.slice(html.indexOf("<nav"), html.indexOf("</nav>"));
    const headings = [...html.matchAll(/<h[234] id="([^"]+)"/g)].map((m) => m[1]);
    expect(hrefs(nav)).toEqual(headings);
    expect(hrefs(html).filter((h) => !ids(html).includes(h))).toEqual([]);
    expect(html).toContain('<a href="#dev--rule-vlt-tls-001">VLT-TLS-001</a>');
  });

  it("opens a section per level-2 heading inside main, after the header; the contents follow the first section (the summary)", () => {
    expect(html.indexOf("<header>")).toBeLessThan(html.indexOf("<main>"));
    expect(html.indexOf("<main>")).toBeLessThan(html.indexOf("<nav"));
    expect(html.indexOf("</section>")).toBeLessThan(html.indexOf("<nav"));
    expect(html.indexOf("<nav")).toBeLessThan(html.lastIndexOf("<section"));
    expect(html.match(/<section aria-labelledby=/g)).toHaveLength(3);
  });

  it("labels every cell with its column for the card layout, and marks statuses", () => {
    expect(html).toContain('<td class="status pass" data-label="status">pass</td>');
    expect(html).toContain('<td class="status fail" data-label="status">fail</td>');
    const wide = toHtml("t", [table(["path", "`a/b`", "c", "d", "e", "f", "g"], [["p", "read", "", "", "", "", ""]])]);
    expect(wide).toContain('<table class="cards">');
    expect(wide).toContain('data-label="a/b"');
    expect(toHtml("t", [table(["a", "b"], [["1", "2"]])])).toContain('<table class="auto">');
  });

  it("lets long tokens break at separators, never inside code or links", () => {
    const page = toHtml("t", [paragraph("aws_s3_bucket_server_side_encryption_configuration.x and DenyUnencryptedObjectUploads `a_very_long_code_token_that_stays_whole`")]);
    expect(page).toContain("aws_<wbr>s3_<wbr>bucket_<wbr>");
    expect(page).toContain("Deny<wbr>Unencrypted<wbr>Object<wbr>Uploads");
    expect(page).toContain("<code>a_very_long_code_token_that_stays_whole</code>");
  });

  it("carries a print stylesheet for A4", () => {
    expect(html).toMatch(/@page\{size:A4;margin:[\d.]+mm [\d.]+mm\}/);
    expect(html).toContain("@media print{");
  });

  it("puts drawings inline, and says in Markdown where they are", () => {
    const doc = [figure('<svg class="g"><text>x</text></svg>', "The graph")];
    expect(toHtml("t", doc)).toContain('<figure><svg class="g"><text>x</text></svg><figcaption>The graph</figcaption></figure>');
    expect(toMarkdown(doc)).toBe("_The graph (drawn in the HTML report)._\n");
  });
});
