/** README.md's commands, run as test/rehearsal/documented-commands-suite.ts says. */
import { CONCRETE, describeDocumentedCommands, documented, ELSEWHERE, IN_CLUSTER } from "./documented-commands-suite";

describe("the commands the suites run instead", () => {
  it("lists only commands that are still in the docs", () => {
    const texts = new Set(documented.map((c) => c.text));
    for (const listed of [...Object.keys(ELSEWHERE), ...Object.keys(CONCRETE), ...IN_CLUSTER]) expect([listed, texts.has(listed)]).toEqual([listed, true]);
  });
});

describeDocumentedCommands("README.md");
