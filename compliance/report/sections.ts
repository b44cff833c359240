import { rolesTable } from "../../access/matrix";
import { accessModel, DEFAULT_POLICY_NOTE } from "../../access/model";
import { heading, paragraph } from "../../document/document";
import type { SectionProvider } from "./build";
import { deliberateDestructions } from "./destructions";

/**
 * Who can log in, per environment, from the synthesized roles: bindings, TTLs and policies. What each identity can
 * reach is in the tenant view and the first screen; `npm run access -- matrix --env <env>` prints every role × path.
 */
export const roles: SectionProvider = (env) => [
  heading(3, "Roles, logins and policies"),
  paragraph(`${DEFAULT_POLICY_NOTE} Every role × path capability: \`npm run access -- matrix --env ${env.environment}\`; one path: \`npm run access -- who <path>\`.`),
  ...rolesTable(accessModel(env)),
];

/** Sections other analyses add to each environment's report. */
export const REPORT_SECTIONS: readonly SectionProvider[] = [roles, deliberateDestructions];
