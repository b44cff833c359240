import type { RulePack } from "../../rule";
import { approleRoles } from "./approle-roles";
import { auditDeviceCount } from "./audit-device-count";
import { awsCredentialType } from "./aws-credential-type";
import { awsNoStaticKeys } from "./aws-no-static-keys";
import { awsStsTtl } from "./aws-sts-ttl";
import { awsTargetArns } from "./aws-target-arns";
import { auditDeviceOptions } from "./audit-device-options";
import { jwtRoles } from "./jwt-roles";
import { kubernetesAuthRoles } from "./kubernetes-auth-roles";
import { pkiKeyInternal } from "./pki-key-internal";
import { pkiRoleNames } from "./pki-role-names";
import { policyPrivilegedPaths } from "./policy-privileged-paths";
import { providerConnection } from "./provider-connection";
import { transitKeyProtection } from "./transit-key-protection";

/** Vault configuration rules. One rule per file in this directory; list each here. */
export const vaultConfigPack: RulePack = {
  name: "Vault configuration",
  rules: [
    auditDeviceCount,
    auditDeviceOptions,
    transitKeyProtection,
    pkiKeyInternal,
    pkiRoleNames,
    kubernetesAuthRoles,
    approleRoles,
    jwtRoles,
    providerConnection,
    policyPrivilegedPaths,
    awsNoStaticKeys,
    awsCredentialType,
    awsStsTtl,
    awsTargetArns,
  ],
};
