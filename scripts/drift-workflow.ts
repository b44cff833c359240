/**
 * The drift workflow (`.github/workflows/drift.yml`, written by `npm run workflows`): daily and on demand, every
 * stack of every environment whose state is remote is planned from main with `-detailed-exitcode`, each on the
 * runner that can reach it (vault-config on the environment's in-cluster runner), with the read-only plan
 * identities; the differences are summarised in the plan-summary format, and one issue per environment is opened
 * or updated while live state differs from main, and closed when it converges (scripts/drift-issue.sh).
 * Environments with local state (dev) have their state on a workstation: no runner can read it, so they have no job.
 */
import { stringify } from "yaml";
import type { EnvironmentConfig } from "../config/schema";
import { vaultActiveAddress } from "../constructs/vault-tls";
import { vaultJwtLogin } from "./workflow-steps";

export const DRIFT_WORKFLOW = "drift.yml";
/** The label every drift issue carries; `environment:<env>` tells them apart. */
export const DRIFT_LABEL = "drift";
const HOSTED = "ubuntu-24.04";
const PLAN_IDENTITY = "terraform-plan";

const stacksOf = (env: string) => [`vault-backup-${env}`, `vault-cluster-${env}`, `vault-config-${env}`];

function planJob(config: EnvironmentConfig): Record<string, unknown> {
  const env = config.environment;
  const identity = config.platform.find((p) => p.auth.method === "jwt" && p.auth.role === PLAN_IDENTITY);
  if (!identity || identity.auth.method !== "jwt") throw new Error(`${env}: no jwt platform identity with role ${PLAN_IDENTITY}`);
  const [backup, cluster, vaultConfig] = stacksOf(env);
  // Drift only plans: on the plan runner scale set, like a pull request's plan (cluster.planRunner).
  const { runsOn } = config.cluster.planRunner;
  const onConfig = `matrix.stack == '${vaultConfig}'`;
  return {
    name: `${env}: plan \${{ matrix.stack }} against live state`,
    "runs-on": "${{ matrix.runner }}",
    // The read-only plan credentials: the AWS plan role and the Vault JWT role bound to this environment.
    environment: identity.auth.boundClaims.environment,
    permissions: { contents: "read", "id-token": "write" },
    strategy: {
      "fail-fast": false,
      matrix: { include: [{ stack: backup, runner: HOSTED }, { stack: cluster, runner: HOSTED }, { stack: vaultConfig, runner: runsOn }] },
    },
    steps: [
      { uses: "actions/checkout@v4" },
      { uses: "actions/setup-node@v4", with: { "node-version": "${{ env.NODE_VERSION }}", cache: "npm" } },
      { run: "npm ci" },
      { run: "npm run synth" },
      { uses: "aws-actions/configure-aws-credentials@v4", with: { "role-to-assume": "${{ vars.AWS_PLAN_ROLE_ARN }}", "aws-region": config.aws.region } },
      { uses: "hashicorp/setup-terraform@v3", with: { terraform_version: "${{ env.TERRAFORM_VERSION }}", terraform_wrapper: false } },
      {
        name: "Kubernetes credentials",
        if: `matrix.stack == '${cluster}'`,
        run: [
          'aws eks update-kubeconfig --name "${{ vars.EKS_CLUSTER_NAME }}" --kubeconfig "$RUNNER_TEMP/kubeconfig"',
          'echo "KUBE_CONFIG_PATH=$RUNNER_TEMP/kubeconfig" >> "$GITHUB_ENV"',
        ].join("\n"),
      },
      {
        name: "Vault endpoint (the provider's own address and CA file, read from the synthesized stack)",
        if: onConfig,
        id: "vault",
        run: `node scripts/vault-endpoint.js cdktf.out/stacks/${vaultConfig}/cdk.tf.json >> "$GITHUB_OUTPUT"`,
      },
      vaultJwtLogin({
        name: `Vault token (GitHub OIDC login to the read-only JWT role ${PLAN_IDENTITY})`,
        if: onConfig,
        path: config.vault.auth.jwt.path,
        role: PLAN_IDENTITY,
        audience: identity.auth.boundAudiences[0],
      }),
      {
        name: "Plan against live state (-detailed-exitcode) and summarise",
        env: { TF_VAR_vault_login: "token" },
        run: 'scripts/drift-plan.sh "${{ matrix.stack }}" "drift/${{ matrix.stack }}"',
      },
      {
        uses: "actions/upload-artifact@v4",
        if: "always()",
        with: { name: "drift-${{ matrix.stack }}", path: "drift/${{ matrix.stack }}/", "if-no-files-found": "error", "retention-days": 30 },
      },
    ],
  };
}

function issueJob(config: EnvironmentConfig): Record<string, unknown> {
  const env = config.environment;
  return {
    name: `${env}: open, update or close the drift issue`,
    needs: `plan-${env}`,
    if: "always()",
    "runs-on": HOSTED,
    permissions: { contents: "read", issues: "write" },
    steps: [
      { uses: "actions/checkout@v4" },
      { uses: "actions/download-artifact@v4", with: { path: "drift" } },
      {
        name: "Drift issue",
        env: { GH_TOKEN: "${{ github.token }}", RUN_URL: "${{ github.server_url }}/${{ github.repository }}/actions/runs/${{ github.run_id }}" },
        run: `scripts/drift-issue.sh ${env} drift ${stacksOf(env).join(" ")}`,
      },
    ],
  };
}

/** The drift workflow's text for the given environments (those with remote state get jobs). */
export function driftWorkflow(configs: readonly EnvironmentConfig[]): string {
  const remote = configs.filter((c) => c.stateBackend.type === "s3");
  const local = configs.filter((c) => c.stateBackend.type !== "s3").map((c) => c.environment);
  const jobs: Record<string, unknown> = {};
  for (const c of remote) {
    jobs[`plan-${c.environment}`] = planJob(c);
    jobs[`issue-${c.environment}`] = issueJob(c);
  }
  const workflow = {
    name: "drift",
    on: { schedule: [{ cron: "41 5 * * *" }], workflow_dispatch: {} },
    permissions: { contents: "read" },
    concurrency: { group: "drift", "cancel-in-progress": false },
    env: { NODE_VERSION: "20", CHECKPOINT_DISABLE: "1", TERRAFORM_VERSION: "1.11.4" },
    jobs,
  };
  const header = [
    "# Generated by `npm run workflows` from config/*.yaml (environments with remote state); do not edit.",
    `# Daily drift detection: live state against main, one issue per environment (label ${DRIFT_LABEL}).`,
    ...(local.length ? [`# No job for ${local.join(", ")}: local state lives on a workstation, where no runner can read it.`] : []),
    `# vault-config plans on the in-cluster runner: Vault answers at ${remote.map((c) => vaultActiveAddress(c.cluster.namespace)).join(", ") || "-"} only there.`,
  ].join("\n");
  return `${header}\n${stringify(workflow, { lineWidth: 0 })}`;
}
