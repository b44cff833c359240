/** The `compliance` section: suppressions of rule findings, each with a reason. */
import { z } from "zod";

export const suppression = z.strictObject({
  rule: z.string().regex(/^[A-Z][A-Z0-9]*-[A-Z0-9]+-\d{3}$/, { message: "must be a rule id such as VLT-TLS-001" }),
  /** Terraform address (type.name) or `*` within the named stack... kept explicit: a full resource address. */
  resource: z.string().min(1),
  reason: z.string().min(10, { message: "must give a reason of at least 10 characters" }),
});

export const compliance = z.strictObject({ suppressions: z.array(suppression).default([]) }).prefault({});
