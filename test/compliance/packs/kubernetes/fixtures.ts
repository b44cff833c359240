/**
 * A small hand-written vault-cluster stack in the shape cdktf synthesizes the kubernetes provider (snake_case,
 * nested blocks as objects, containers as arrays): a namespace, a service account and the snapshot CronJob.
 * Everything in it passes the Kubernetes rules; tests edit a copy.
 */
import type { ComplianceRule, RuleOutcome } from "../../../../compliance/rule";
import { StackView } from "../../../../synthesized/stack-view";

export const NS_REF = "${kubernetes_namespace_v1.namespace.metadata[0].name}";
export const SA_REF = "${kubernetes_service_account_v1.snapshot_sa.metadata[0].name}";

function container(name: string): Record<string, any> {
  return {
    name,
    image: "hashicorp/vault:1.20.4",
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
    security_context: {
      allow_privilege_escalation: false,
      read_only_root_filesystem: true,
      run_as_non_root: true,
      capabilities: { drop: ["ALL"] },
    },
  };
}

export function k8sStackJson(): Record<string, any> {
  return {
    resource: {
      kubernetes_namespace_v1: { namespace: { metadata: { name: "vault" } } },
      kubernetes_service_account_v1: {
        snapshot_sa: { automount_service_account_token: false, metadata: { name: "vault-raft-snapshot", namespace: NS_REF } },
      },
      kubernetes_cron_job_v1: {
        snapshot: {
          metadata: { name: "vault-raft-snapshot", namespace: NS_REF },
          spec: {
            schedule: "0 * * * *",
            job_template: {
              metadata: {},
              spec: {
                template: {
                  metadata: {},
                  spec: {
                    service_account_name: SA_REF,
                    restart_policy: "Never",
                    security_context: { run_as_non_root: true, run_as_user: "100" },
                    init_container: [container("vault")],
                    container: [container("upload")],
                  },
                },
              },
            },
          },
        },
      },
      helm_release: { vault: { name: "vault", chart: "vault", namespace: NS_REF } },
    },
  };
}

/** The pod spec of the fixture's CronJob, for edits. */
export function cronPod(json: Record<string, any>): Record<string, any> {
  return json.resource.kubernetes_cron_job_v1.snapshot.spec.job_template.spec.template.spec;
}

/** Runs `rule` on the block at `address` of the fixture stack after `edit`. */
export function check(rule: ComplianceRule, address: string, edit?: (json: Record<string, any>) => void): RuleOutcome {
  const json = k8sStackJson();
  edit?.(json);
  const view = new StackView("vault-cluster-dev", json);
  const block = view.all().find((b) => b.address === address);
  if (!block) throw new Error(`no block ${address} in the fixture`);
  return rule.check(block, view);
}

export const CRON = "kubernetes_cron_job_v1.snapshot";
