import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { stringifyYaml } from "../config/parse-cache";
import { terraformLiteral } from "../config/terraform-literal";
import { RELEASE_NAME, type VaultHelmValues } from "./vault-helm-values";

export interface VaultHelmReleaseProps {
  readonly namespace: string;
  /** Chart repository. */
  readonly repository: string;
  /** Exact chart version (the values are typed against it). */
  readonly chartVersion: string;
  readonly values: VaultHelmValues;
  /**
   * Resources that must exist before the chart installs (the TLS certificate).
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The `hashicorp/vault` chart as release `vault`. The values object is serialised once, here, as YAML.
 *
 * Helm does not wait for readiness: a new Vault is sealed and uninitialised (not Ready) until
 * `vault operator init`, so waiting would fail every first install.
 */
export class VaultHelmRelease extends Construct {
  public readonly release: Release;
  public readonly valuesYaml: string;

  constructor(scope: Construct, id: string, props: VaultHelmReleaseProps) {
    super(scope, id);
    // lineWidth 0: no folding, so the server config block stays byte-for-byte what was rendered.
    this.valuesYaml = stringifyYaml(props.values, { lineWidth: 0, aliasDuplicateObjects: false });
    this.release = new Release(this, "release", {
      name: RELEASE_NAME,
      namespace: props.namespace,
      repository: props.repository,
      chart: "vault",
      version: props.chartVersion,
      // Terraform reads the string as a template: the reloader's shell `${...}` must reach Helm as written.
      values: [terraformLiteral(this.valuesYaml)],
      createNamespace: false,
      wait: false,
      atomic: false,
      cleanupOnFail: true,
      maxHistory: 10,
      timeout: 600,
      dependsOn: props.dependsOn,
    });
  }
}
