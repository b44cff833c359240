/** auth.vaultAgent asks the injector for an agent: a config without the injector cannot have one. */
import { validateEnvironment } from "../../config/load";
import { configFor, rawConfig } from "../helpers";

function problemsOf(env: "dev" | "prod", edit: (raw: any) => void): string[] {
  const raw: any = rawConfig(env);
  edit(raw);
  return validateEnvironment(raw).problems;
}

describe("an injected agent needs the injector", () => {
  it("fails if an application asks for vaultAgent while cluster.injector is off", () => {
    const problems = problemsOf("dev", (raw) => (raw.cluster.injector = { enabled: false }));
    const asking = configFor("dev").applications.filter((a) => a.auth.method === "kubernetes" && a.auth.vaultAgent).length;
    expect(problems).toEqual(Array(asking).fill(expect.stringMatching(/^applications\[\d+\]\.auth\.vaultAgent: needs cluster\.injector\.enabled: true/)));
    expect(asking).toBeGreaterThan(0);
  });
});
