import { compliant, nonCompliant, notApplicable, type ComplianceRule } from "../../rule";
import { isVaultChart } from "./vault-release";

/** The chart version is exact, so a plan never picks up a new chart (and new defaults) silently. */
export const pinnedChart: ComplianceRule = {
  id: "VLT-PIN-001",
  title: "The Vault chart version is pinned to an exact x.y.z",
  severity: "medium",
  rationale:
    "Helm docs (helm install --version): without an exact version the latest chart is installed; vault-helm " +
    "changes defaults between releases (TLS, security contexts, service types), and this project's values are " +
    "written and checked against one chart version.",
  fix: 'Set the release\'s version to an exact chart version, e.g. "0.34.1" (no range, no "latest").',
  appliesTo: ["helm_release"],
  check(release) {
    if (!isVaultChart(release)) return notApplicable;
    const version = release.attributes.version;
    if (typeof version === "string" && /^v?\d+\.\d+\.\d+$/.test(version)) return compliant(`helm_release version = "${version}"`);
    return nonCompliant(version === undefined ? "helm_release version is not set (latest chart)" : `helm_release version = ${JSON.stringify(version)} (not an exact x.y.z)`);
  },
};
