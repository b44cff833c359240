/**
 * `npm run restore-drill-manifest -- <env>`: prints the restore drill's scratch namespace and its network policy
 * (constructs/restore-drill-isolation.ts) for one environment's config, as YAML for `kubectl apply -f -`. The drill
 * workflow applies it before the scratch Vault starts; docs/restore-drill.md explains what it stops.
 *
 * `... <env> --args`: prints the arguments of scripts/restore-drill.sh for that environment, one per line: bucket,
 * region, the scratch namespace and its Vault's address, every tenant database (host:port) that must be
 * unreachable, the login role's mount and the canary.
 */
import { readdirSync } from "node:fs";
import { stringify } from "yaml";
import { loadEnvironments } from "../config/load";
import { restoreDrillIsolation } from "../constructs/restore-drill-isolation";
import { RULE_IDS } from "../compliance/packs";

function main(): void {
  const env = process.argv[2];
  const policyNames = new Set(readdirSync("policies").filter((f) => f.endsWith(".hcl")).map((f) => f.slice(0, -4)));
  const configs = loadEnvironments("config", { policyNames, ruleIds: RULE_IDS }).map((e) => e.config);
  const config = configs.find((c) => c.environment === env);
  if (!config) {
    process.stderr.write(`usage: npm run restore-drill-manifest -- <environment> (one of: ${configs.map((c) => c.environment).join(", ")}; got ${env ?? "nothing"})\n`);
    process.exit(2);
  }
  const drill = config.cluster.restoreDrill;
  if (process.argv[3] === "--args") {
    const databases = config.vault.database?.connections ?? [];
    const canary = config.vault.restoreDrill.canary;
    const args = [
      ["--env", config.environment],
      ["--bucket", config.backup.bucket],
      ["--prefix", config.backup.prefix],
      ["--region", config.aws.region],
      ["--scratch-namespace", drill.namespace],
      ["--vault-addr", `https://vault-drill.${drill.namespace}.svc:8200`],
      ...(databases.length > 0 ? databases.map((c) => ["--database", `${c.host}:${c.port}`]) : [["--no-databases"]]),
      ["--canary", `${canary.mount}/${canary.path}`],
      ["--canary-field", canary.field],
    ];
    process.stdout.write(`${args.flat().join("\n")}\n`);
    return;
  }
  const objects = restoreDrillIsolation({
    namespace: drill.namespace,
    vaultNamespace: config.cluster.namespace,
    awsEndpointCidrs: drill.awsEndpointCidrs,
    apiServerCidrs: drill.apiServerCidrs,
  });
  process.stdout.write(objects.map((o) => `---\n${stringify(o)}`).join(""));
}

main();
