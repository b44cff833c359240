import { compliant, nonCompliant, notApplicable, type ComplianceRule, type RuleOutcome } from "../../rule";
import type { ResourceView, StackView } from "../../../synthesized/stack-view";
import { field, nameOf } from "./workloads";

/**
 * Namespaced provider resources that create objects (the provider puts them in `default` when metadata.namespace
 * is omitted). Left out on purpose: cluster-scoped types, patch-style resources that edit objects they do not own
 * (kubernetes_labels, kubernetes_annotations, kubernetes_env, *_data) and kubernetes_default_service_account, which
 * exists in every namespace and is managed to harden it.
 */
export const NAMESPACED_TYPES: readonly string[] = [
  "config_map", "config_map_v1", "cron_job", "cron_job_v1", "daemonset", "daemon_set_v1", "deployment", "deployment_v1",
  "endpoint_slice_v1", "endpoints", "endpoints_v1", "horizontal_pod_autoscaler", "horizontal_pod_autoscaler_v1",
  "horizontal_pod_autoscaler_v2", "horizontal_pod_autoscaler_v2beta2", "ingress", "ingress_v1", "job", "job_v1",
  "limit_range", "limit_range_v1", "network_policy", "network_policy_v1", "persistent_volume_claim",
  "persistent_volume_claim_v1", "pod", "pod_v1", "pod_disruption_budget", "pod_disruption_budget_v1",
  "replication_controller", "replication_controller_v1", "resource_quota", "resource_quota_v1", "role", "role_v1",
  "role_binding", "role_binding_v1", "secret", "secret_v1", "service", "service_v1", "service_account",
  "service_account_v1", "stateful_set", "stateful_set_v1", "token_request_v1",
].map((t) => `kubernetes_${t}`);

function outcomeFor(value: unknown, where: string, stack: StackView, missing: RuleOutcome): RuleOutcome {
  if (value === undefined || value === null || value === "") return missing;
  if (typeof value !== "string") return nonCompliant(`${where} = ${JSON.stringify(value)} (not a namespace name)`);
  const ns = nameOf(value, stack);
  // A namespace from another stack or a variable is not known until apply: nothing to judge at synth.
  if (!ns.known) return notApplicable;
  const shown = ns.via ? `${where} = ${ns.via} (${JSON.stringify(ns.name)})` : `${where} = ${JSON.stringify(ns.name)}`;
  return ns.name === "default" ? nonCompliant(shown) : compliant(shown);
}

/** Every object lives in a namespace of its own, never `default`. */
export const defaultNamespace: ComplianceRule = {
  id: "K8S-NS-001",
  title: "Nothing is deployed to the default namespace",
  severity: "medium",
  rationale:
    "CIS Kubernetes Benchmark 5.7.4: the default namespace should not be used; NSA/CISA Kubernetes Hardening " +
    "Guidance (namespaces): separate workloads by namespace so RBAC, network policies, quotas and Pod Security " +
    "admission labels apply to them. The kubernetes and helm providers fall back to `default` when no namespace is " +
    "given.",
  fix: "Set metadata.namespace (helm_release: namespace) to the application's namespace, e.g. the Vault namespace resource's name.",
  appliesTo: [...NAMESPACED_TYPES, "helm_release", "kubernetes_manifest"],
  check(resource: ResourceView, stack: StackView) {
    if (resource.type === "helm_release") {
      return outcomeFor(resource.attributes.namespace, "helm_release namespace", stack, nonCompliant("helm_release namespace is not set (the helm provider uses default)"));
    }
    if (resource.type === "kubernetes_manifest") {
      // Without a namespace the kind may be cluster-scoped (Namespace, ClusterIssuer ...): only an explicit default is judged.
      const metadata = field(resource.attributes.manifest, "metadata");
      return outcomeFor(field(metadata, "namespace"), "manifest.metadata.namespace", stack, notApplicable);
    }
    return outcomeFor(
      field(resource.attributes.metadata, "namespace"),
      "metadata.namespace",
      stack,
      nonCompliant("metadata.namespace is not set (the kubernetes provider uses default)"),
    );
  },
};
