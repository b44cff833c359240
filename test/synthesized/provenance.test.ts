/**
 * The provenance of a pull request's synth names the head the author pushed, not GitHub's merge commit: read from the
 * event payload (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH) the way an Actions run provides it.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { provenanceOf, pullRequestOf } from "../../synthesized/provenance";
import { provenanceText } from "../../compliance/report/summary";
import { ROOT } from "../helpers";

const HEAD = "a".repeat(40);
const BASE = "b".repeat(40);

function payload(body: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), "vault-platform-event-")), "event.json");
  writeFileSync(file, JSON.stringify(body));
  return file;
}

describe("pull request provenance", () => {
  it("reads the pull request's number, head and base from a pull_request event's payload", () => {
    const file = payload({ pull_request: { number: 12, head: { sha: HEAD }, base: { sha: BASE } } });
    expect(pullRequestOf("pull_request", file)).toEqual({ number: 12, head: HEAD, base: BASE });
  });

  it("is nothing for another event, outside Actions, or a payload without both SHAs", () => {
    const file = payload({ pull_request: { number: 12, head: { sha: HEAD }, base: { sha: BASE } } });
    expect(pullRequestOf("push", file)).toBeUndefined();
    expect(pullRequestOf(undefined, undefined)).toBeUndefined();
    expect(pullRequestOf("pull_request", payload({ pull_request: { number: 12, head: { sha: "main" }, base: { sha: BASE } } }))).toBeUndefined();
    expect(pullRequestOf("pull_request", join(tmpdir(), "no-such-event.json"))).toBeUndefined();
  });

  it("records it beside the checkout's commit, and the report names the head first", async () => {
    const provenance = await provenanceOf(ROOT, new Date("2026-11-26T12:00:00Z"), { number: 12, head: HEAD, base: BASE });
    expect(provenance.pullRequest).toEqual({ number: 12, head: HEAD, base: BASE });
    expect(provenance.commit).toMatch(/^[0-9a-f]{40}$/);
    const text = provenanceText(provenance, new Date("2026-11-26T12:00:00Z"));
    expect(text).toMatch(new RegExp(`^Pull request #12, head commit \`${HEAD}\` \\(base \`${BASE}\`\\), synthesized [^;]* from GitHub's merge of the two \\(\`${provenance.commit}\``));
  });
});
