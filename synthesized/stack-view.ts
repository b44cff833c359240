/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized Terraform JSON is untyped by nature */
/**
 * A read-only view of one synthesized stack (the `cdk.tf.json` object): the same view whether rules run as
 * Aspects during synth or over `cdktf.out/` for the report.
 */
import { terraformUnescape } from "../config/terraform-literal";
import { parseYaml } from "../config/parse-cache";

/** One block of the stack: a resource, a data source (`data.<type>.<name>`) or a provider (`provider.<name>`). */
export interface ResourceView {
  readonly type: string;
  readonly name: string;
  /** Terraform address: `aws_s3_bucket.snapshots`, `data.aws_iam_policy_document.x`, `provider.vault`. */
  readonly address: string;
  readonly attributes: Readonly<Record<string, any>>;
}

/** An attribute that may be absent, a single value or a list, as a list. */
export function asList(value: unknown): any[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}

/**
 * Nested blocks as a list. cdktf synthesizes a nested block as an object or as an array of objects depending on the
 * provider schema; rules read both the same way (anything else: none).
 */
export function blocksOf(value: unknown): Record<string, any>[] {
  return asList(value).filter((b): b is Record<string, any> => typeof b === "object" && b !== null && !Array.isArray(b));
}

/** A single nested block (the first, in either shape), or undefined. */
export function firstBlock(value: unknown): Record<string, any> | undefined {
  return blocksOf(value)[0];
}

/** True when `value` is (or contains) a Terraform reference to the block at `address`. */
export function refersTo(value: unknown, address: string): boolean {
  return typeof value === "string" && value.includes(`\${${address}.`);
}

export class StackView {
  private readonly blocks: ResourceView[] = [];

  constructor(
    public readonly id: string,
    public readonly json: Readonly<Record<string, any>>,
  ) {
    for (const [type, byName] of Object.entries<Record<string, any>>(json.resource ?? {})) {
      for (const [name, attributes] of Object.entries(byName)) this.blocks.push({ type, name, address: `${type}.${name}`, attributes });
    }
    for (const [type, byName] of Object.entries<Record<string, any>>(json.data ?? {})) {
      for (const [name, attributes] of Object.entries(byName)) {
        this.blocks.push({ type: `data.${type}`, name, address: `data.${type}.${name}`, attributes });
      }
    }
    for (const [name, configs] of Object.entries<any>(json.provider ?? {})) {
      // cdktf writes each provider as a list of configurations (aliases).
      for (const attributes of Array.isArray(configs) ? configs : [configs]) {
        const alias = attributes.alias ? `.${attributes.alias}` : "";
        this.blocks.push({ type: `provider.${name}`, name: `${name}${alias}`, address: `provider.${name}${alias}`, attributes });
      }
    }
  }

  /** Every block whose type is one of `types` (resource types, `data.<type>` or `provider.<name>`). */
  of(...types: string[]): ResourceView[] {
    return this.blocks.filter((b) => types.includes(b.type));
  }

  all(): readonly ResourceView[] {
    return this.blocks;
  }

  /** Blocks of `type` whose attribute `attribute` refers to the block at `address`. */
  referencing(type: string, attribute: string, address: string): ResourceView[] {
    return this.of(type).filter((b) => refersTo(b.attributes[attribute], address));
  }

  /** The block a reference string points at (`${aws_kms_key.x.arn}` → the aws_kms_key.x block). */
  resolve(reference: unknown): ResourceView | undefined {
    if (typeof reference !== "string") return undefined;
    const m = /^\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.[a-z0-9_.[\]]+\}$/.exec(reference);
    return m ? this.blocks.find((b) => b.address === m[1]) : undefined;
  }
}

/** A literal text attribute (a policy, a description) as the provider receives it, after Terraform's unescaping. */
export function literalText(value: unknown): string {
  return terraformUnescape(String(value ?? ""));
}

const helmValuesCache = new WeakMap<object, Record<string, any>>();

/**
 * Merged Helm values of a `helm_release` (its `values` documents in order, later ones win). Parsed once per
 * release block: every rule of the Vault server pack reads them. Callers must not mutate the result.
 */
export function helmValues(release: ResourceView): Record<string, any> {
  const cached = helmValuesCache.get(release.attributes);
  if (cached) return cached;
  const merged: Record<string, any> = {};
  const merge = (into: Record<string, any>, from: Record<string, any>) => {
    for (const [k, v] of Object.entries(from)) {
      if (v && typeof v === "object" && !Array.isArray(v) && into[k] && typeof into[k] === "object") merge(into[k], v);
      else into[k] = v;
    }
  };
  // As Helm receives them: Terraform has turned the literal `$${` and `%%{` back into `${` and `%{`.
  for (const doc of (release.attributes.values as string[] | undefined) ?? []) merge(merged, parseYaml(terraformUnescape(doc)) ?? {});
  helmValuesCache.set(release.attributes, merged);
  return merged;
}
