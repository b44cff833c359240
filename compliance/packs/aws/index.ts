import type { RulePack } from "../../rule";
import { iamAssumeRoleTargets } from "./iam-assume-role-targets";
import { iamIrsaTrust } from "./iam-irsa-trust";
import { iamNoWildcardActions } from "./iam-no-wildcard-actions";
import { iamNoWildcardResources } from "./iam-no-wildcard-resources";
import { kmsDeletionWindow } from "./kms-deletion-window";
import { kmsKeyPolicy } from "./kms-key-policy";
import { kmsKeyRotation } from "./kms-key-rotation";
import { s3AccessLogging } from "./s3-access-logging";
import { s3BucketPolicy } from "./s3-bucket-policy";
import { s3Encryption } from "./s3-encryption";
import { s3LifecycleAbortMultipart } from "./s3-lifecycle-abort-multipart";
import { s3ObjectOwnership } from "./s3-object-ownership";
import { s3PublicAccessBlock } from "./s3-public-access-block";
import { s3Versioning } from "./s3-versioning";

/** AWS rules. One rule per file in this directory; list each here. */
export const awsPack: RulePack = {
  name: "AWS",
  rules: [
    s3Versioning,
    s3Encryption,
    s3PublicAccessBlock,
    s3ObjectOwnership,
    s3AccessLogging,
    s3LifecycleAbortMultipart,
    s3BucketPolicy,
    kmsKeyRotation,
    kmsKeyPolicy,
    kmsDeletionWindow,
    iamNoWildcardActions,
    iamNoWildcardResources,
    iamIrsaTrust,
    iamAssumeRoleTargets,
  ],
};
