/**
 * Builds and runs the Go reference of Vault's policy parser (rehearsal/vault-policy-ref/: Vault's
 * parse steps on hashicorp/hcl from Debian's golang-github-hashicorp-hcl-dev, the vault fork's differences
 * modelled), built as rehearsal/go-reference.ts says. All policies of a run go through one process, as JSON lines.
 */
import { askReference, buildGoReference } from "./go-reference";

export interface ReferenceRule {
  path: string;
  isPrefix: boolean;
  hasSegmentWildcards: boolean;
  capabilities: number;
  minWrappingTtlNs: string;
  maxWrappingTtlNs: string;
  allowed: Record<string, unknown[]> | null;
  denied: Record<string, unknown[]> | null;
  required: string[];
}

export interface ReferenceResult {
  ok: boolean;
  error?: string;
  name: string;
  rules: ReferenceRule[] | null;
}

/** The path of the built reference; throws with what is missing when Go or Debian's hcl is not installed. */
export function buildReference(): string {
  return buildGoReference("vault-policy-ref", [{ importPath: "github.com/hashicorp/hcl", debianPackage: "golang-github-hashicorp-hcl-dev" }]);
}

/** Vault's answer for each policy text, from one run of the reference. */
export function referenceParse(binary: string, texts: readonly string[]): ReferenceResult[] {
  return askReference<ReferenceResult>(binary, texts.map((text) => ({ text })));
}
