import { compliant, nonCompliant, notApplicable, type ComplianceRule } from "../../rule";
import { effectiveValues, isVaultChart, show, valueAt } from "./vault-release";

/** The server image is named and pinned to an exact version (or digest). */
export const pinnedImage: ComplianceRule = {
  id: "VLT-PIN-002",
  title: "The Vault server image has a repository and an exact version tag (not latest)",
  severity: "medium",
  rationale:
    "Kubernetes configuration best practices: avoid the :latest tag, which makes rollouts unrepeatable; vault-helm " +
    "chart docs: server.image.repository and server.image.tag choose the Vault binary, and HashiCorp's upgrade " +
    "guide requires a deliberate, ordered upgrade of every node.",
  fix: 'Set server.image.repository (e.g. "hashicorp/vault") and server.image.tag to an exact version, e.g. "1.20.4".',
  appliesTo: ["helm_release"],
  check(release) {
    if (!isVaultChart(release)) return notApplicable;
    const values = effectiveValues(release);
    const repository = valueAt(values, "server.image.repository");
    const tag = valueAt(values, "server.image.tag");
    const problems: string[] = [];
    if (typeof repository !== "string" || repository.trim() === "") problems.push(show("server.image.repository", repository));
    // An exact version (1.20.4, 1.20.4-ent, v1.20.4); never latest or a floating 1.20. The chart renders
    // `repository:tag`, so a digest cannot go in the tag.
    const exact = typeof tag === "string" && /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(tag);
    if (!exact) problems.push(`${show("server.image.tag", tag)} (expected an exact x.y.z version)`);
    if (problems.length > 0) return nonCompliant(problems.join("; "));
    return compliant(`values server.image = ${repository}:${tag}`);
  },
};
