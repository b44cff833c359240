/** docs/onboarding.md's per-application pod specs: current with the config, and matching the synthesized roles. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { DOC, podSpecsMarkdown, withPodSpecs } from "../../scripts/pod-specs";
import { configFor, ROOT } from "../helpers";

const configs = [configFor("dev"), configFor("prod")];

describe("pod specs in docs/onboarding.md", () => {
  it("are the current rendering of the config (run `npm run pod-specs`)", () => {
    const doc = readFileSync(join(ROOT, DOC), "utf8");
    // A stale doc fails naming the command that regenerates it, not only with a diff.
    const stale = withPodSpecs(doc, configs) !== doc;
    expect({ stale, regenerate: stale ? "npm run pod-specs" : undefined }).toEqual({ stale: false, regenerate: undefined });
  });

  it("give every Kubernetes application the token its role checks and Vault's CA", () => {
    const md = podSpecsMarkdown(configs);
    for (const config of configs) {
      for (const app of config.applications) {
        if (app.auth.method !== "kubernetes") continue;
        const section = md.split("#### ").find((s) => s.startsWith(`${app.name} (`) && s.includes(config.environment))!;
        const spec = parse(/```yaml\n([\s\S]*?)```/.exec(section)![1]).spec;
        expect(spec.serviceAccountName).toBe(app.auth.serviceAccounts[0]);
        expect(spec.volumes).toContainEqual({ name: "vault-ca", configMap: { name: config.cluster.caPublication.configMapName } });
        const projected = spec.volumes.find((v: any) => v.projected)?.projected.sources[0].serviceAccountToken;
        const standard = app.auth.tokenSource === "service-account";
        const tokenFile = standard ? "/var/run/secrets/kubernetes.io/serviceaccount/token" : "/var/run/secrets/vault/token";
        expect([app.name, projected?.audience]).toEqual([app.name, standard ? undefined : app.auth.audience]);
        expect([app.name, app.auth.audience]).toEqual([app.name, standard ? config.vault.auth.kubernetes.serviceAccountTokenAudience : app.auth.audience]);
        // With an agent, the injector logs in with the annotated role (test/rehearsal/injected-agents.test.ts runs it);
        // otherwise the application runs the login line.
        const doc = parse(/```yaml\n([\s\S]*?)```/.exec(section)![1]);
        const login = app.auth.vaultAgent ? doc.metadata.annotations["vault.hashicorp.com/role"] : section.includes(`role=${app.auth.role} jwt=@${tokenFile}`);
        expect([app.name, login]).toEqual([app.name, app.auth.vaultAgent ? app.auth.role : true]);
      }
    }
  });
});
