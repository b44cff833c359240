/**
 * AppRole secret IDs: unlimited uses only when bound to networks, and a rotation schedule that fires in time,
 * run by a rotator identity that is bound to the generated workflow (scripts/secret-id-workflows.ts).
 */
import { longestGapSeconds, parseCron } from "../cron";
import { durationSeconds } from "../format-rules";
import type { IssueFn } from "./issues";
import type { EnvironmentConfig } from ".";

/** A failed scheduled run must leave this long to be noticed and rerun before the current secret ID expires. */
export const ROTATION_MARGIN_SECONDS = 7 * 86400;

/** The `workflow_ref` claim of the generated rotation workflow of `app`, run from `repository` at `ref`. */
export function rotationWorkflowRef(repository: string, app: string, ref: string): string {
  return `${repository}/.github/workflows/rotate-${app}-secret-id.yml@${ref}`;
}

export function checkAppRoles(c: EnvironmentConfig, issue: IssueFn): void {
  c.applications.forEach((id, i) => {
    const auth = id.auth;
    if (auth.method !== "approle") return;
    const at = ["applications", i, "auth"];
    if (auth.secretIdNumUses === 0 && auth.secretIdBoundCidrs.length === 0) {
      issue([...at, "secretIdNumUses"], "may be 0 (unlimited uses within secretIdTtl) only when secretIdBoundCidrs binds the secret ID to networks", 0);
    }
    const rotation = auth.secretIdRotation;
    if (!rotation) return;
    const r = [...at, "secretIdRotation"];
    try {
      const gap = longestGapSeconds(parseCron(rotation.schedule, "github"));
      const ttl = durationSeconds(auth.secretIdTtl);
      if (gap === Infinity) issue([...r, "schedule"], "never fires, or less than twice in four years (check the day of month against the months)", rotation.schedule);
      else if (gap > ttl - ROTATION_MARGIN_SECONDS) {
        issue(
          [...r, "schedule"],
          `runs up to ${Math.ceil(gap / 86400)} days apart, but a secret ID lives ${auth.secretIdTtl} and a new one must arrive 7 days before it expires`,
          rotation.schedule,
        );
      }
    } catch (e) {
      issue([...r, "schedule"], (e as Error).message, rotation.schedule);
    }
    const rotator = c.platform.find((p) => p.name === rotation.rotator);
    if (!rotator || rotator.auth.method !== "jwt") {
      issue([...r, "rotator"], `must name a platform identity with auth method jwt (have: ${c.platform.filter((p) => p.auth.method === "jwt").map((p) => p.name).join(", ")})`, rotation.rotator);
      return;
    }
    const claims = rotator.auth.boundClaims;
    const j = c.platform.indexOf(rotator);
    if (typeof claims.repository !== "string" || typeof claims.ref !== "string" || typeof claims.environment !== "string") {
      issue(["platform", j, "auth", "boundClaims"], `must bind one repository, ref and environment each: ${rotator.name} rotates ${id.name}'s secret IDs`, claims);
      return;
    }
    const expected = rotationWorkflowRef(claims.repository, id.name, claims.ref);
    if (JSON.stringify(claims.workflow_ref) !== JSON.stringify(expected)) {
      issue(["platform", j, "auth", "boundClaims", "workflow_ref"], `must be ${JSON.stringify(expected)} (the generated workflow of ${id.name}), so no other workflow can use ${rotator.name}`, claims.workflow_ref);
    }
  });
}
