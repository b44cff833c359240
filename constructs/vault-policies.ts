import { Construct } from "constructs";
import { terraformLiteral } from "../config/terraform-literal";
import { Policy } from "@cdktf/provider-vault/lib/policy";
import type { PolicySet } from "../config/policies";

export interface VaultPoliciesProps {
  /** The parsed `policies/*.hcl`; each becomes one ACL policy whose text is the file's text. */
  readonly policies: PolicySet;
  /**
   * Policy names this environment's identities attach. Every one must have a file; only these are created, so a
   * policy file another environment uses (an application rolled out there first) is simply absent here.
   * Config validation reports a file that no environment attaches.
   */
  readonly attached: readonly string[];
}

/** One Vault ACL policy per file under `policies/`; the file name is the policy name. */
export class VaultPolicies extends Construct {
  /** Policy name to the policy resource's name attribute: attach by this handle so Vault has the policy first. */
  public readonly names: ReadonlyMap<string, string>;

  constructor(scope: Construct, id: string, props: VaultPoliciesProps) {
    super(scope, id);
    const attached = new Set(props.attached);
    const missing = [...attached].filter((n) => !props.policies.has(n)).sort();
    if (missing.length > 0) {
      throw new Error(`VaultPolicies: ${missing.map((n) => `policy ${n} is attached by an identity but has no file policies/${n}.hcl`).join("; ")}`);
    }

    const names = new Map<string, string>();
    for (const p of [...props.policies.values()].filter((x) => attached.has(x.name))) {
      names.set(p.name, new Policy(this, p.name, { name: p.name, policy: terraformLiteral(p.text) }).name);
    }
    this.names = names;
  }

  /** The handles of the named policies; throws on a name without a file. */
  public handles(policyNames: readonly string[]): string[] {
    return policyNames.map((n) => {
      const h = this.names.get(n);
      if (h === undefined) throw new Error(`VaultPolicies: no policy file policies/${n}.hcl`);
      return h;
    });
  }
}
