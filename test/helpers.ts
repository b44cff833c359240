/** Shared test fixtures: the committed configs and policies, and synthesized stacks parsed back to JSON. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing, type TerraformStack } from "cdktf";
import { parse } from "yaml";
import { validateEnvironment } from "../config/load";
import { loadPolicies, policiesFor, type PolicySet } from "../config/policies";
import type { EnvironmentConfig } from "../config/schema";

export const ROOT = join(__dirname, "..");

/** The raw YAML of `config/<env>.yaml`, for tests that edit a copy. */
export function rawConfig(env: "dev" | "prod"): Record<string, unknown> {
  return parse(readFileSync(join(ROOT, "config", `${env}.yaml`), "utf8")) as Record<string, unknown>;
}

/** A validated config; `edit` changes the raw YAML first. Throws with the problems if invalid. */
export function configFor(env: "dev" | "prod", edit?: (raw: Record<string, any>) => void): EnvironmentConfig {
  const raw = rawConfig(env);
  edit?.(raw);
  const { config, problems } = validateEnvironment(raw);
  if (!config) throw new Error(problems.join("\n"));
  return config;
}

let policies: Promise<PolicySet> | undefined;
/** The parsed `policies/*.hcl` (parsed once per test file). */
export function defaultPolicies(): Promise<PolicySet> {
  policies ??= loadPolicies(join(ROOT, "policies"));
  return policies;
}

/** The policies as `config/<env>.yaml`'s Vault receives them ({{config.*}} variables expanded). */
export async function environmentPolicies(env: "dev" | "prod"): Promise<PolicySet> {
  return policiesFor(await defaultPolicies(), configFor(env));
}

/** A synthesized stack as the parsed `cdk.tf.json` object. */
export function synthJson(stack: TerraformStack): any {
  return JSON.parse(Testing.synth(stack));
}

/** All resources of one Terraform type in a synthesized stack, by construct-derived name. */
export function resourcesOf(json: any, type: string): Record<string, any> {
  return json.resource?.[type] ?? {};
}

/** The single resource of a type; fails the test if there is not exactly one. */
export function onlyResource(json: any, type: string): any {
  const all = Object.values(resourcesOf(json, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/**
 * A CA certificate for tests (its key was discarded), standing in for the one a database team provides: the
 * connection of a config that ships `tlsCa: pending` (prod) as it is once provided.
 */
export const PROVIDED_DATABASE_CA = readFileSync(join(ROOT, "test", "fixtures", "database-ca.pem"), "utf8");

/** An edit for configFor: gives every database connection whose CA is `pending` the test CA. */
export function provideDatabaseCa(raw: Record<string, any>): void {
  for (const c of raw.vault?.database?.connections ?? []) if (c.tlsCa === "pending") c.tlsCa = PROVIDED_DATABASE_CA;
}
