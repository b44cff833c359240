import { STS_MAX_SECONDS, STS_MIN_SECONDS } from "../../../config/aws-engine-rules";
import { compliant, nonCompliant, type ComplianceRule } from "../../rule";

export const awsStsTtl: ComplianceRule = {
  id: "VCF-AWS-002",
  title: `AWS secrets engine roles bound their STS credentials: ${STS_MIN_SECONDS}s <= default_sts_ttl <= max_sts_ttl <= ${STS_MAX_SECONDS}s`,
  severity: "medium",
  rationale:
    "Vault builtin/logical/aws/path_user.go caps a request's ttl at max_sts_ttl, and without it at the mount's maximum lease " +
    "(24h by default): the role must set both. AWS STS AssumeRole accepts DurationSeconds from 900, and Vault's own credentials " +
    "are an IRSA role session, so its AssumeRole is role chaining, which AWS limits to one hour (IAM user guide, \"Role chaining\").",
  fix: `Set default_sts_ttl and max_sts_ttl between ${STS_MIN_SECONDS} and ${STS_MAX_SECONDS} seconds, default not above max (vault.aws.roles[].defaultStsTtl, maxStsTtl).`,
  appliesTo: ["vault_aws_secret_backend_role"],
  check(role) {
    const a = role.attributes;
    const inBounds = (v: unknown): v is number => typeof v === "number" && v >= STS_MIN_SECONDS && v <= STS_MAX_SECONDS;
    const found: string[] = [];
    for (const k of ["default_sts_ttl", "max_sts_ttl"]) {
      if (!inBounds(a[k])) found.push(`${k} = ${JSON.stringify(a[k]) ?? "(unset)"} (${STS_MIN_SECONDS} to ${STS_MAX_SECONDS} required)`);
    }
    if (found.length === 0 && a.default_sts_ttl > a.max_sts_ttl) found.push(`default_sts_ttl ${a.default_sts_ttl} exceeds max_sts_ttl ${a.max_sts_ttl}`);
    if (found.length > 0) return nonCompliant(`${role.address} ${found.join(", ")}`);
    return compliant(`${role.address} default_sts_ttl = ${a.default_sts_ttl}, max_sts_ttl = ${a.max_sts_ttl}`);
  },
};
