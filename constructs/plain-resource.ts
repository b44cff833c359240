import { TerraformResource } from "cdktf";
import type { Construct } from "constructs";

/** What the prebuilt provider class of a resource type would declare (its constructor's terraformGeneratorMetadata). */
export interface PlainResourceType {
  readonly type: string;
  readonly providerName: string;
  readonly providerVersion: string;
  readonly providerVersionConstraint: string;
  /**
   * The attributes for `cdktf synth --hcl` (the one-time export out of cdktf), which needs the schema's block
   * structure: only then is the prebuilt class's converter module loaded.
   */
  readonly hclAttributes: (attributes: Record<string, unknown>) => Record<string, unknown>;
}

/** Keys snake_case → camelCase, as the prebuilt structs take them; the keys of map attributes are data and stay. */
function camelKeys(value: unknown, maps: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => camelKeys(v, maps));
  if (value === null || typeof value !== "object" || value.constructor !== Object) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), maps.has(k) ? v : camelKeys(v, maps)]),
  );
}

/** @cdktf/provider-kubernetes 12.1.1 (kubernetes provider 2.38.0): lib/cron-job-v1/index.js. */
export const KUBERNETES_CRON_JOB: PlainResourceType = {
  type: "kubernetes_cron_job_v1",
  providerName: "kubernetes",
  providerVersion: "2.38.0",
  providerVersionConstraint: "~> 2.0",
  hclAttributes: (attributes) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const structs = require("@cdktf/provider-kubernetes/lib/cron-job-v1/index-structs") as typeof import("@cdktf/provider-kubernetes/lib/cron-job-v1/index-structs");
    const { metadata, spec } = camelKeys(attributes, new Set(["labels", "annotations", "limits", "requests"])) as Record<string, never>;
    return {
      metadata: { value: structs.cronJobV1MetadataToHclTerraform(metadata), isBlock: true, type: "list", storageClassType: "CronJobV1MetadataList" },
      spec: { value: structs.cronJobV1SpecToHclTerraform(spec), isBlock: true, type: "list", storageClassType: "CronJobV1SpecList" },
    };
  },
};

/**
 * A resource written from its attributes as the provider schema names them (snake_case, nested blocks as objects,
 * repeated blocks as lists), for a type whose prebuilt class is too expensive to load: the JSON cdktf writes is the
 * same, the address too. Tokens in the attributes resolve as in any resource.
 */
export class PlainResource extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    private readonly type: PlainResourceType,
    private readonly attributes: Record<string, unknown>,
  ) {
    super(scope, id, {
      terraformResourceType: type.type,
      terraformGeneratorMetadata: { providerName: type.providerName, providerVersion: type.providerVersion, providerVersionConstraint: type.providerVersionConstraint },
    });
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return this.attributes;
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    return this.type.hclAttributes(this.attributes);
  }
}
