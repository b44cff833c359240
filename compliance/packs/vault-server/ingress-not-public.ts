import { parseYaml } from "../../../config/parse-cache";
import { compliant, nonCompliant, notApplicable, type ComplianceRule } from "../../rule";
import { effectiveValues, isVaultChart, show, valueAt } from "./vault-release";

/** Ingress class names that say "internal" or "private" as a word: `nginx-internal`, `internal-alb`, `private`. */
const INTERNAL_CLASS = /(^|[-_.])(internal|private)($|[-_.])/;

/** The chart accepts annotations as a map or as a YAML string. */
function annotationsOf(value: unknown): Record<string, unknown> {
  if (typeof value === "string") {
    try {
      const parsed: unknown = parseYaml(value);
      return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

/**
 * Why an enabled ingress counts as internal, or undefined when nothing says so. The criterion: an AWS Load
 * Balancer Controller scheme of `internal`, or an ingress class (ingressClassName or the legacy
 * kubernetes.io/ingress.class annotation) named internal/private; an `internet-facing` scheme always loses.
 */
function internalBecause(ingress: unknown): string | { public: string } | undefined {
  const annotations = annotationsOf(valueAt(ingress, "annotations"));
  const scheme = annotations["alb.ingress.kubernetes.io/scheme"];
  if (scheme === "internet-facing") return { public: `server.ingress.annotations alb.ingress.kubernetes.io/scheme = "internet-facing"` };
  if (scheme === "internal") return `server.ingress.annotations alb.ingress.kubernetes.io/scheme = "internal"`;
  const className = valueAt(ingress, "ingressClassName");
  if (typeof className === "string" && INTERNAL_CLASS.test(className)) return `server.ingress.ingressClassName = "${className}"`;
  const legacy = annotations["kubernetes.io/ingress.class"];
  if (typeof legacy === "string" && INTERNAL_CLASS.test(legacy)) return `server.ingress.annotations kubernetes.io/ingress.class = "${legacy}"`;
  return undefined;
}

/** The Vault API is not published to the internet by the chart's ingress or server service. */
export const ingressNotPublic: ComplianceRule = {
  id: "VLT-NET-003",
  title: "The Vault API is not exposed publicly (ingress off or internal; server service not a LoadBalancer/NodePort)",
  severity: "high",
  rationale:
    "HashiCorp Vault production hardening: restrict network access, Vault should not be reachable from the " +
    "internet; vault-helm chart docs: server.ingress and server.service.type publish the API. An enabled ingress " +
    "counts as internal only when it says so: alb.ingress.kubernetes.io/scheme: internal (AWS Load Balancer " +
    "Controller) or an ingress class named internal/private (e.g. nginx-internal).",
  fix:
    "Set server.ingress.enabled: false, or give the ingress an internal class (ingressClassName: nginx-internal) " +
    "or alb.ingress.kubernetes.io/scheme: internal; keep server.service.type ClusterIP.",
  appliesTo: ["helm_release"],
  check(release) {
    if (!isVaultChart(release)) return notApplicable;
    const values = effectiveValues(release);
    const problems: string[] = [];
    const evidence: string[] = [];
    const serviceType = valueAt(values, "server.service.type");
    if (serviceType === "LoadBalancer" || serviceType === "NodePort") problems.push(show("server.service.type", serviceType));
    const enabled = valueAt(values, "server.ingress.enabled");
    if (enabled === true || enabled === "true") {
      const why = internalBecause(valueAt(values, "server.ingress"));
      if (why === undefined) problems.push("values server.ingress.enabled = true with no internal ingress class or internal scheme");
      else if (typeof why === "object") problems.push(`values server.ingress.enabled = true with ${why.public}`);
      else evidence.push(`values server.ingress.enabled = true, internal: ${why}`);
    } else {
      evidence.push(enabled === undefined ? "values server.ingress.enabled is not set (chart default false)" : show("server.ingress.enabled", enabled));
    }
    if (problems.length > 0) return nonCompliant(problems.join("; "));
    return compliant(evidence.join("; "));
  },
};
