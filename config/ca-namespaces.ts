/**
 * The one place that decides which namespaces receive Vault's CA (`cluster.caPublication`): every namespace a
 * Kubernetes-auth application logs in from (applications must name them; config validation), the two runner scale sets',
 * plus the configured extras (AppRole clients). Sorted and
 * without duplicates, so the synthesized selector is stable.
 */
import type { EnvironmentConfig } from "./schema";

export function caNamespaces(config: Pick<EnvironmentConfig, "applications" | "cluster">): string[] {
  const fromApplications = config.applications.flatMap((a) => (a.auth.method === "kubernetes" ? (a.auth.namespaces ?? []) : []));
  // The runner pods verify Vault with it too (the config stack's provider, ca_cert_file).
  return [...new Set([...fromApplications, ...config.cluster.caPublication.extraNamespaces, config.cluster.deployRunner.namespace, config.cluster.planRunner.namespace])].sort();
}
