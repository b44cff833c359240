import { literalText } from "../../../synthesized/stack-view";
import { ConfigError } from "../../../config/load";
import { parsePolicyText, type VaultPolicy } from "../../../config/policies";
import { compliant, nonCompliant, type ComplianceRule } from "../../rule";

/** The one policy meant to administer Vault (break-glass, behind an approval); everything else is checked. */
const ADMIN_POLICY = "platform-admin";
/** Backends that change who may do what: mounts, auth methods, policies, audit (sys/), login config (auth/), entities (identity/). */
const PRIVILEGED_ROOTS = ["sys", "auth", "identity"];
const WRITES = new Set(["create", "update", "delete", "patch"]);
/** Legacy `policy = "..."` values (Vault policy syntax before capabilities) and what they grant. */
const LEGACY: Record<string, string[]> = {
  deny: ["deny"],
  read: ["read", "list"],
  write: ["create", "read", "update", "delete", "list"],
  sudo: ["create", "read", "update", "delete", "list", "sudo"],
};

/** True when the path pattern can match something under one of the privileged roots (`*`, `s*`, `+/...` included). */
function reachesPrivileged(pattern: string): boolean {
  const first = pattern.replace(/^\/+/, "").split("/")[0];
  return PRIVILEGED_ROOTS.some((root) => first === "+" || first === root || (first.endsWith("*") && root.startsWith(first.slice(0, -1))));
}

/** The capabilities of one path block (capabilities list, or the legacy policy value). */
function capabilitiesOf(block: Record<string, unknown>): string[] {
  const caps = Array.isArray(block.capabilities) ? block.capabilities.map(String) : [];
  const legacy = typeof block.policy === "string" ? (LEGACY[block.policy] ?? []) : [];
  return [...caps, ...legacy];
}

export const policyPrivilegedPaths: ComplianceRule = {
  id: "VCF-POL-001",
  title: "Only the platform-admin policy grants sudo or writes to sys/, auth/, identity/ and policy paths",
  severity: "critical",
  rationale:
    "HashiCorp Vault production hardening and policy documentation: sudo unlocks root-protected paths, and write access to " +
    "sys/ (mounts, audit, sys/policy/*, sys/policies/*), auth/ (login methods and their roles) or identity/ lets a holder grant " +
    "itself any other permission, disable auditing or mint identities. Least privilege keeps that to the one administrative " +
    "policy; any other policy that needs it (the CI that applies this configuration) is an explicit, reasoned suppression.",
  fix:
    "Remove sudo and create/update/delete/patch on sys/*, auth/*, identity/* from the policy file, or add a compliance.suppressions " +
    "entry for this rule and the vault_policy address with the reason.",
  appliesTo: ["vault_policy"],
  check(policy) {
    const name = policy.attributes.name;
    if (name === ADMIN_POLICY) return compliant(`${policy.address} name = ${ADMIN_POLICY} (the administrative policy)`);
    const raw = policy.attributes.policy;
    if (typeof raw !== "string") return nonCompliant(`${policy.address} policy = ${JSON.stringify(raw) ?? "(unset)"} is not literal HCL`);
    const text = literalText(raw);
    // Parsed as Vault parses it (HCL 1 and Vault's key checks), the same parse the access analysis uses.
    let rules: VaultPolicy["rules"];
    try {
      rules = parsePolicyText(policy.address, text).rules;
    } catch (e) {
      if (e instanceof ConfigError) return nonCompliant(`${policy.address} policy does not parse as Vault parses it: ${e.problems.join("; ")}`);
      throw e;
    }
    const found: string[] = [];
    for (const { path, rule } of rules) {
      const caps = capabilitiesOf(rule as unknown as Record<string, unknown>);
      if (caps.includes("deny")) continue; // deny overrides every other capability of the block
      const bad = caps.filter((c) => c === "sudo" || (WRITES.has(c) && reachesPrivileged(path)));
      if (bad.length > 0) found.push(`path "${path}" capabilities ${JSON.stringify([...new Set(bad)])}`);
    }
    found.sort();
    if (found.length > 0) return nonCompliant(`${policy.address} (${String(name)}) ${found.join(", ")}`);
    return compliant(`${policy.address} (${String(name)}) grants no sudo and no writes under ${PRIVILEGED_ROOTS.map((r) => `${r}/`).join(", ")}`);
  },
};
