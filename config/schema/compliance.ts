/**
 * The `compliance` section: suppressions of rule findings, and deliberate destructions of stateful resources, each
 * with a reason, an owner and an expiry date.
 */
import { z } from "zod";

const who = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._@+/-]{1,99}$/, {
  message: "must name who owns the exception, a team or a person (2-100 characters, e.g. platform-team or alice@example.com)",
});

export const suppression = z
  .strictObject({
    rule: z.string().regex(/^[A-Z][A-Z0-9]*-[A-Z0-9]+-\d{3}$/, { message: "must be a rule id such as VLT-TLS-001" }),
    /** Terraform address (type.name) of the resource the finding is about. */
    resource: z.string().min(1),
    reason: z.string().min(10, { message: "must give a reason of at least 10 characters" }),
    /** Who answers for the exception and renews or removes it: a team or a person. */
    owner: who,
    /**
     * Who accepted the exception besides its owner (a second pair of eyes: a security reviewer or team), shown beside
     * the owner on the report's first screen.
     * @default - none recorded (the report says so)
     */
    approver: who.optional(),
    /**
     * Last day (UTC) the suppression holds, `YYYY-MM-DD`. From the day after, synth fails until it is renewed (a new
     * date, and a reason that still holds) or the finding is fixed.
     */
    expires: z.iso.date({ message: "must be a date written YYYY-MM-DD, e.g. 2027-03-31" }),
  })
  .refine((s) => s.approver === undefined || s.approver !== s.owner, { message: "approver must not be the owner (someone else accepts the exception)", path: ["approver"] });

/**
 * A stateful resource (config/stateful.ts) that may be destroyed or replaced: synth leaves its
 * `lifecycle.prevent_destroy` off, the stateful lock lets it go, and the plan gate lets a plan destroy it.
 * Remove the entry once the change is applied.
 */
export const destruction = z.strictObject({
  /** Terraform address (`vault_mount.kv_legacy`), as the lock file and the plan name it. */
  resource: z.string().regex(/^[a-z0-9_]+\.[A-Za-z_][A-Za-z0-9_-]*$/, { message: "must be a Terraform resource address such as vault_mount.kv_legacy" }),
  reason: z.string().min(10, { message: "must give a reason of at least 10 characters" }),
  owner: who,
  /** Last day (UTC) the destruction may be applied, `YYYY-MM-DD`; after it synth fails until the entry is removed. */
  expires: z.iso.date({ message: "must be a date written YYYY-MM-DD, e.g. 2027-03-31" }),
});

export const compliance = z
  .strictObject({ suppressions: z.array(suppression).default([]), destructions: z.array(destruction).default([]) })
  .prefault({});
