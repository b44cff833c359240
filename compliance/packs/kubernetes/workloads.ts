/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized Terraform JSON is untyped by nature */
/**
 * Pod specs of Kubernetes workloads as the rules read them, from provider resources (snake_case, nested blocks as
 * an object or a one-element array) and from `kubernetes_manifest` (camelCase, plain objects) alike.
 */
import { compliant, nonCompliant, notApplicable, type RuleOutcome } from "../../rule";
import { blocksOf, type ResourceView, type StackView } from "../../../synthesized/stack-view";
import { effectiveValues, isVaultChart } from "../vault-server/vault-release";

/** Provider workload types and the path from the resource to its pod spec. */
const PROVIDER_POD_SPEC: Readonly<Record<string, readonly string[]>> = {
  kubernetes_pod: ["spec"],
  kubernetes_pod_v1: ["spec"],
  kubernetes_deployment: ["spec", "template", "spec"],
  kubernetes_deployment_v1: ["spec", "template", "spec"],
  kubernetes_stateful_set: ["spec", "template", "spec"],
  kubernetes_stateful_set_v1: ["spec", "template", "spec"],
  kubernetes_daemonset: ["spec", "template", "spec"],
  kubernetes_daemon_set_v1: ["spec", "template", "spec"],
  kubernetes_replication_controller: ["spec", "template", "spec"],
  kubernetes_replication_controller_v1: ["spec", "template", "spec"],
  kubernetes_job: ["spec", "template", "spec"],
  kubernetes_job_v1: ["spec", "template", "spec"],
  kubernetes_cron_job: ["spec", "job_template", "spec", "template", "spec"],
  kubernetes_cron_job_v1: ["spec", "job_template", "spec", "template", "spec"],
};

/** Manifest kinds and the path from `manifest` to the pod spec. */
const MANIFEST_POD_SPEC: Readonly<Record<string, readonly string[]>> = {
  Pod: ["spec"],
  Deployment: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  ReplicationController: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
};

/** Every resource type that can hold a workload (the rules' appliesTo); helm_release for the Vault chart's sidecars. */
export const WORKLOAD_TYPES: readonly string[] = [...Object.keys(PROVIDER_POD_SPEC), "kubernetes_manifest", "helm_release"];

const camel = (snake: string) => snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** One nested block or attribute by its provider (snake_case) name, falling back to the manifest (camelCase) one. */
export function field(node: unknown, snake: string): any {
  const [block] = blocksOf(node);
  if (!block) return undefined;
  return block[snake] ?? block[camel(snake)];
}

export interface ContainerView {
  /** `container "upload"`, `init_container "vault"`. */
  readonly label: string;
  readonly securityContext: Record<string, any> | undefined;
  readonly resources: Record<string, any> | undefined;
}

export interface PodSpecView {
  /** Where the pod spec sits, for findings: `spec.job_template.spec.template.spec`. */
  readonly path: string;
  readonly spec: Record<string, any>;
  readonly securityContext: Record<string, any> | undefined;
  readonly containers: readonly ContainerView[];
}

/** The pod spec of a workload resource, or undefined for anything that is not a workload (or has no spec). */
export function podSpecOf(resource: ResourceView): PodSpecView | undefined {
  if (resource.type === "helm_release") return vaultChartSidecars(resource);
  let root: unknown = resource.attributes;
  let path = PROVIDER_POD_SPEC[resource.type];
  let prefix = "";
  if (resource.type === "kubernetes_manifest") {
    root = resource.attributes.manifest;
    path = MANIFEST_POD_SPEC[String(field(root, "kind"))];
    prefix = "manifest.";
  }
  if (!path) return undefined;
  let node: unknown = root;
  for (const step of path) node = field(node, step);
  const [spec] = blocksOf(node);
  if (!spec) return undefined;
  const containers = (key: string): ContainerView[] =>
    blocksOf(field(spec, key)).map((c) => ({
      label: `${prefix ? camel(key) : key} "${String(c.name ?? "?")}"`,
      securityContext: blocksOf(field(c, "security_context"))[0],
      resources: blocksOf(field(c, "resources"))[0],
    }));
  return {
    path: prefix + path.join("."),
    spec,
    securityContext: blocksOf(field(spec, "security_context"))[0],
    // Provider: init_container / container; manifests: initContainers / containers.
    containers: prefix ? [...containers("init_containers"), ...containers("containers")] : [...containers("init_container"), ...containers("container")],
  };
}

/**
 * The containers a release of the Vault chart adds to the server pods (server.extraInitContainers and
 * server.extraContainers, Kubernetes container specs in the values) with the pod's security context
 * (server.statefulSet.securityContext.pod) and service account, as the chart renders them. The chart's own vault
 * container is the chart's; a release without sidecars, or of another chart, is not judged here.
 */
function vaultChartSidecars(resource: ResourceView): PodSpecView | undefined {
  if (!isVaultChart(resource)) return undefined;
  const server = effectiveValues(resource).server ?? {};
  const list = (key: string): ContainerView[] =>
    (Array.isArray(server[key]) ? server[key] : []).map((c: any) => ({
      label: `server.${key} "${String(c?.name ?? "?")}"`,
      securityContext: blocksOf(c?.securityContext)[0],
      resources: blocksOf(c?.resources)[0],
    }));
  const containers = [...list("extraInitContainers"), ...list("extraContainers")];
  if (containers.length === 0) return undefined;
  const sa = server.serviceAccount ?? {};
  // The chart's vault.serviceAccount.name: the given name, else the release's full name when it creates one, else default.
  const serviceAccountName = sa.name || (sa.create === false ? "default" : String(resource.attributes.name));
  return {
    path: "values.server",
    spec: { serviceAccountName },
    securityContext: blocksOf(server.statefulSet?.securityContext?.pod)[0],
    containers,
  };
}

/** The object name behind a reference (`${kubernetes_namespace_v1.ns.metadata[0].name}` → "vault"). */
export type NameLookup = { readonly known: true; readonly name: string; readonly via?: string } | { readonly known: false; readonly raw: string };

/** A literal name, or the literal `metadata.name` of the block a reference points at in the same stack. */
export function nameOf(value: string, stack: StackView): NameLookup {
  if (!value.includes("${")) return { known: true, name: value };
  const target = stack.resolve(value);
  const name = target ? field(target.attributes.metadata, "name") : undefined;
  if (target && typeof name === "string" && !name.includes("${")) return { known: true, name, via: target.address };
  return { known: false, raw: value };
}

/**
 * The outcome of "every container of the workload sets `security_context.<key>` to `expected`", the shape of the
 * Pod Security rules that read one boolean per container.
 */
export function everyContainerSets(resource: ResourceView, key: string, expected: boolean): RuleOutcome {
  const pod = podSpecOf(resource);
  if (!pod) return notApplicable;
  if (pod.containers.length === 0) return nonCompliant(`${pod.path} has no containers`);
  const bad = pod.containers.filter((c) => field(c.securityContext, key) !== expected);
  if (bad.length > 0) {
    return nonCompliant(bad.map((c) => `${c.label} security_context.${key} = ${JSON.stringify(field(c.securityContext, key) ?? null)}`).join("; "));
  }
  return compliant(`security_context.${key} = ${expected} for ${pod.containers.map((c) => c.label).join(", ")}`);
}
