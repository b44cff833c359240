/**
 * Written by `npm run workflows` (scripts/workflows.ts): one GitHub workflow per AppRole application with `auth.secretIdRotation`
 * (`.github/workflows/rotate-<app>-secret-id.yml`), from every environment's config. A test fails when a file is
 * stale or left over, so the files never drift from the config.
 *
 * Each environment's job logs in to that environment's Vault with the rotator's JWT role (bound to this file,
 * the repository, the ref and the job's GitHub environment), asks for a secret ID of the application's role
 * response-wrapped (the rotator's policy refuses it unwrapped), and stores the wrapping token as a secret of the
 * application's GitHub environment. The wrapping token is single-use and short-lived; the application's deploy
 * unwraps it (a failed unwrap means someone else did, and is an incident). No secret ID is ever in a log or file.
 */
import { join } from "node:path";
import { stringify } from "yaml";
import { durationSeconds } from "../config/format-rules";
import type { EnvironmentConfig } from "../config/schema";
import { vaultActiveAddress } from "../constructs/vault-tls";
import { vaultJwtLogin } from "./workflow-steps";

export const WORKFLOW_DIR = join(".github", "workflows");
export const workflowFile = (app: string) => `rotate-${app}-secret-id.yml`;

interface Rotation {
  readonly config: EnvironmentConfig;
  readonly app: EnvironmentConfig["applications"][number];
}

/** The rotations of one application across environments, by application name. */
function rotationsByApp(configs: readonly EnvironmentConfig[]): Map<string, Rotation[]> {
  const out = new Map<string, Rotation[]>();
  for (const config of configs) {
    for (const app of config.applications) {
      if (app.auth.method === "approle" && app.auth.secretIdRotation) out.set(app.name, [...(out.get(app.name) ?? []), { config, app }]);
    }
  }
  return out;
}

function job({ config, app }: Rotation): Record<string, unknown> {
  if (app.auth.method !== "approle" || !app.auth.secretIdRotation) throw new Error("not a rotated AppRole application");
  const rotation = app.auth.secretIdRotation;
  const rotator = config.platform.find((p) => p.name === rotation.rotator);
  if (!rotator || rotator.auth.method !== "jwt") throw new Error(`${config.environment}: rotator ${rotation.rotator} is not a jwt platform identity`);
  const secretIdPath = `auth/${config.vault.auth.approle.path}/role/${app.auth.role}/secret-id`;
  // Vault is reachable only inside its cluster: the job runs on the environment's in-cluster runner scale set and
  // uses the address and CA file the vault-config provider uses (the same derivation, the same mounted file).
  const { runsOn, caCertFile } = config.cluster.deployRunner;
  const address = vaultActiveAddress(config.cluster.namespace);
  return {
    name: `${config.environment}: issue a wrapped secret ID for ${app.auth.role}`,
    "runs-on": runsOn,
    environment: rotator.auth.boundClaims.environment,
    permissions: { contents: "read", "id-token": "write" },
    steps: [
      {
        name: `Vault endpoint (the vault-config provider's address; its CA as the runner pod mounts it at ${caCertFile})`,
        id: "vault",
        run: `printf 'address=%s\nca-cert-b64=%s\n' "${address}" "$(base64 -w0 < "${caCertFile}")" >> "$GITHUB_OUTPUT"`,
      },
      vaultJwtLogin({
        name: `Vault token (GitHub OIDC login to the JWT role ${rotator.auth.role})`,
        path: config.vault.auth.jwt.path,
        role: rotator.auth.role,
        audience: rotator.auth.boundAudiences[0],
      }),
      {
        // The wrapping token goes from curl through jq to gh on a pipe: never in a variable, output, file or log.
        name: `Issue a secret ID for ${app.auth.role}, response-wrapped for ${rotation.wrapTtl}, and deliver it to ${rotation.deliverTo.repository} (${rotation.deliverTo.environment})`,
        env: { VAULT_ADDR: "${{ steps.vault.outputs.address }}", GH_TOKEN: "${{ secrets.SECRET_ID_DELIVERY_TOKEN }}" },
        run: [
          "set -o pipefail",
          `curl --fail --silent --show-error --cacert "${caCertFile}" -X POST -H "X-Vault-Token: $VAULT_TOKEN" -H "X-Vault-Wrap-TTL: ${durationSeconds(rotation.wrapTtl)}s" "$VAULT_ADDR/v1/${secretIdPath}" \\`,
          "  | jq -er .wrap_info.token \\",
          `  | gh secret set ${rotation.deliverTo.secret} --repo ${rotation.deliverTo.repository} --env ${rotation.deliverTo.environment}`,
        ].join("\n"),
      },
    ],
  };
}

/** The workflow file text of each rotated application, by file name. */
export function rotationWorkflows(configs: readonly EnvironmentConfig[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const [app, rotations] of rotationsByApp(configs)) {
    const schedules = [...new Set(rotations.map((r) => (r.app.auth.method === "approle" ? r.app.auth.secretIdRotation!.schedule : "")))];
    const workflow = {
      name: `rotate-${app}-secret-id`,
      on: { schedule: schedules.map((cron) => ({ cron })), workflow_dispatch: {} },
      permissions: { contents: "read" },
      concurrency: { group: `rotate-${app}-secret-id`, "cancel-in-progress": false },
      jobs: Object.fromEntries(rotations.map((r) => [`rotate-${r.config.environment}`, job(r)])),
    };
    const header = [
      `# Generated by \`npm run workflows\` from config/*.yaml (applications: ${app}, auth.secretIdRotation); do not edit.`,
      `# Runbook: docs/secret-id-rotation.md.`,
    ].join("\n");
    files.set(workflowFile(app), `${header}\n${stringify(workflow, { lineWidth: 0 })}`);
  }
  return files;
}
