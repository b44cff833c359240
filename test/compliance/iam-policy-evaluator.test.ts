import {
  actionMatches,
  evaluatePolicy,
  fromTerraformStatements,
  policyDocumentStatements,
  resourceMatches,
  substituteReferences,
  type PolicyStatement,
} from "../../compliance/iam-policy-evaluator";

const bucket = "arn:aws:s3:::b";
const denyHttp: PolicyStatement = {
  Sid: "DenyHttp",
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: [bucket, `${bucket}/*`],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
};

describe("iam policy evaluator", () => {
  it("matches actions case-insensitively with wildcards", () => {
    expect(actionMatches("s3:*", "s3:PutObject")).toBe(true);
    expect(actionMatches("S3:put*", "s3:PutObject")).toBe(true);
    expect(actionMatches("s3:Get?bject", "s3:GetObject")).toBe(true);
    expect(actionMatches("s3:Get*", "s3:PutObject")).toBe(false);
    expect(actionMatches("s3:*", "kms:Decrypt")).toBe(false);
  });

  it("matches resources case-sensitively with wildcards", () => {
    expect(resourceMatches("arn:aws:s3:::b/raft/*", "arn:aws:s3:::b/raft/x.snap")).toBe(true);
    expect(resourceMatches("arn:aws:s3:::b/raft/*", "arn:aws:s3:::b/other/x.snap")).toBe(false);
    expect(resourceMatches("arn:aws:s3:::b/Raft/*", "arn:aws:s3:::b/raft/x")).toBe(false);
    expect(resourceMatches("arn:aws:s3:::b.c", "arn:aws:s3:::bxc")).toBe(false);
  });

  it("explicit deny wins over allow; no match is an implicit deny", () => {
    const allow: PolicyStatement = { Sid: "Allow", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${bucket}/*` };
    const get = { action: "s3:GetObject", resource: `${bucket}/k` };
    expect(evaluatePolicy([allow, denyHttp], { ...get, context: { "aws:SecureTransport": "false" } })).toEqual({
      decision: "explicit-deny",
      deniedBy: ["DenyHttp"],
      allowedBy: ["Allow"],
    });
    expect(evaluatePolicy([allow, denyHttp], { ...get, context: { "aws:SecureTransport": "true" } }).decision).toBe("allow");
    expect(evaluatePolicy([denyHttp], { ...get, context: { "aws:SecureTransport": "true" } }).decision).toBe("implicit-deny");
  });

  it("treats a missing key as failing positive operators and satisfying negated ones", () => {
    const neg: PolicyStatement = { Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: "*", Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" } } };
    const pos: PolicyStatement = { Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: "*", Condition: { StringEquals: { "s3:x-amz-server-side-encryption": "AES256" } } };
    const put = { action: "s3:PutObject", resource: `${bucket}/k` };
    expect(evaluatePolicy([neg], put).decision).toBe("explicit-deny");
    expect(evaluatePolicy([pos], put).decision).toBe("implicit-deny");
    expect(evaluatePolicy([neg], { ...put, context: { "s3:x-amz-server-side-encryption": "aws:kms" } }).decision).toBe("implicit-deny");
    expect(evaluatePolicy([pos], { ...put, context: { "S3:X-Amz-Server-Side-Encryption": "AES256" } }).decision).toBe("explicit-deny");
  });

  it("treats several values as OR, and as NOR for negated operators", () => {
    const neg: PolicyStatement = { Effect: "Deny", Action: "s3:PutObject", Resource: "*", Condition: { StringNotEquals: { k: ["a", "b"] } } };
    const req = (v: string) => ({ action: "s3:PutObject", resource: "x", context: { k: v } });
    expect(evaluatePolicy([neg], req("a")).decision).toBe("implicit-deny");
    expect(evaluatePolicy([neg], req("b")).decision).toBe("implicit-deny");
    expect(evaluatePolicy([neg], req("c")).decision).toBe("explicit-deny");
  });

  it("ANDs keys and operators", () => {
    const s: PolicyStatement = {
      Effect: "Allow",
      Action: "sts:AssumeRoleWithWebIdentity",
      Principal: { Federated: "arn:aws:iam::1:oidc-provider/x" },
      Resource: "*",
      Condition: { StringEquals: { "x:sub": "system:serviceaccount:vault:vault", "x:aud": "sts.amazonaws.com" } },
    };
    const req = (sub: string, aud: string) => ({
      action: "sts:AssumeRoleWithWebIdentity",
      resource: "role",
      principal: { type: "Federated", id: "arn:aws:iam::1:oidc-provider/x" },
      context: { "x:sub": sub, "x:aud": aud },
    });
    expect(evaluatePolicy([s], req("system:serviceaccount:vault:vault", "sts.amazonaws.com")).decision).toBe("allow");
    expect(evaluatePolicy([s], req("system:serviceaccount:vault:other", "sts.amazonaws.com")).decision).toBe("implicit-deny");
    expect(evaluatePolicy([s], req("system:serviceaccount:vault:vault", "vault")).decision).toBe("implicit-deny");
    expect(evaluatePolicy([s], { ...req("system:serviceaccount:vault:vault", "sts.amazonaws.com"), principal: { type: "AWS", id: "arn:aws:iam::1:root" } }).decision).toBe("implicit-deny");
  });

  it("compares numbers numerically and rejects non-numbers", () => {
    const s: PolicyStatement = { Effect: "Deny", Action: "s3:*", Resource: "*", Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } } };
    const tls = (v: string) => evaluatePolicy([s], { action: "s3:GetObject", resource: "x", context: { "s3:TlsVersion": v } }).decision;
    expect(tls("1.1")).toBe("explicit-deny");
    expect(tls("1.2")).toBe("implicit-deny");
    expect(tls("1.3")).toBe("implicit-deny");
    expect(tls("abc")).toBe("implicit-deny");
    expect(evaluatePolicy([s], { action: "s3:GetObject", resource: "x" }).decision).toBe("implicit-deny");
  });

  it("evaluates Null, IfExists, StringLike and NotAction", () => {
    const isNull: PolicyStatement = { Effect: "Deny", Action: "s3:PutObject", Resource: "*", Condition: { Null: { h: "true" } } };
    expect(evaluatePolicy([isNull], { action: "s3:PutObject", resource: "x" }).decision).toBe("explicit-deny");
    expect(evaluatePolicy([isNull], { action: "s3:PutObject", resource: "x", context: { h: "v" } }).decision).toBe("implicit-deny");
    const ifExists: PolicyStatement = { Effect: "Allow", Action: "s3:*", Resource: "*", Condition: { StringEqualsIfExists: { h: "v" } } };
    expect(evaluatePolicy([ifExists], { action: "s3:GetObject", resource: "x" }).decision).toBe("allow");
    expect(evaluatePolicy([ifExists], { action: "s3:GetObject", resource: "x", context: { h: "w" } }).decision).toBe("implicit-deny");
    const like: PolicyStatement = { Effect: "Allow", Action: "s3:ListBucket", Resource: "*", Condition: { StringLike: { "s3:prefix": "raft/*" } } };
    expect(evaluatePolicy([like], { action: "s3:ListBucket", resource: "b", context: { "s3:prefix": "raft/dev/" } }).decision).toBe("allow");
    expect(evaluatePolicy([like], { action: "s3:ListBucket", resource: "b", context: { "s3:prefix": "" } }).decision).toBe("implicit-deny");
    const notAction: PolicyStatement = { Effect: "Deny", NotAction: "s3:Get*", Resource: "*" };
    expect(evaluatePolicy([notAction], { action: "s3:GetObject", resource: "x" }).decision).toBe("implicit-deny");
    expect(evaluatePolicy([notAction], { action: "s3:DeleteObject", resource: "x" }).decision).toBe("explicit-deny");
  });

  it("fails if a statement uses an operator it does not model", () => {
    const s: PolicyStatement = { Effect: "Deny", Action: "s3:*", Resource: "*", Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } } };
    expect(() => evaluatePolicy([s], { action: "s3:GetObject", resource: "x", context: { "aws:SourceIp": "10.0.0.1" } })).toThrow(
      /condition operator IpAddress is not supported/,
    );
    const set: PolicyStatement = { Effect: "Deny", Action: "s3:*", Resource: "*", Condition: { "ForAnyValue:StringEquals": { k: "v" } } };
    expect(() => evaluatePolicy([set], { action: "s3:GetObject", resource: "x" })).toThrow(/set operator ForAnyValue:StringEquals is not supported/);
  });

  it("fails if a resource or condition still holds an unresolved reference", () => {
    const s: PolicyStatement = { Effect: "Deny", Action: "s3:*", Resource: "*", Condition: { StringNotEquals: { k: "${aws_kms_key.k.arn}" } } };
    expect(() => evaluatePolicy([s], { action: "s3:GetObject", resource: "x", context: { k: "v" } })).toThrow(/substitute them first/);
    const r: PolicyStatement = { Effect: "Deny", Action: "s3:*", Resource: "${aws_s3_bucket.b.arn}/*" };
    expect(() => evaluatePolicy([r], { action: "s3:GetObject", resource: "x" })).toThrow(/substitute them first/);
  });

  it("fails if a statement has neither Action nor NotAction, or both", () => {
    expect(() => evaluatePolicy([{ Effect: "Deny", Resource: "*" }], { action: "s3:GetObject", resource: "x" })).toThrow(
      /needs one of Action and NotAction/,
    );
    expect(() => evaluatePolicy([{ Effect: "Deny", Action: "s3:*", NotAction: "s3:Get*", Resource: "*" }], { action: "s3:GetObject", resource: "x" })).toThrow(
      /has both Action and NotAction/,
    );
  });

  it("applies a statement without Resource to the policy's own resource (role trust policies)", () => {
    const trust: PolicyStatement = { Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole" };
    const req = { action: "sts:AssumeRole", resource: "arn:aws:iam::1:role/r", principal: { type: "Service", id: "s3.amazonaws.com" } };
    expect(evaluatePolicy([trust], req).decision).toBe("allow");
    expect(evaluatePolicy([trust], { ...req, principal: { type: "Service", id: "ec2.amazonaws.com" } }).decision).toBe("implicit-deny");
  });

  it("reads a policy attribute back from a synthesized stack", () => {
    const synthesized = { data: { aws_iam_policy_document: { doc: { statement: [{ sid: "A", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"] }] } } } };
    expect(policyDocumentStatements(synthesized, "${data.aws_iam_policy_document.doc.json}")).toEqual([
      { Sid: "A", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::b/*"] },
    ]);
  });

  it("fails if a policy attribute is not a policy document reference", () => {
    expect(() => policyDocumentStatements({}, '{"Version":"2012-10-17"}')).toThrow(/is not a reference to an aws_iam_policy_document/);
    expect(() => policyDocumentStatements({}, "${data.aws_iam_policy_document.missing.json}")).toThrow(/missing is not in the synthesized stack/);
  });

  it("converts aws_iam_policy_document statements and substitutes references", () => {
    const converted = fromTerraformStatements([
      {
        sid: "DenyWrongKmsKey",
        effect: "Deny",
        principals: [{ type: "*", identifiers: ["*"] }],
        actions: ["s3:PutObject"],
        resources: ["arn:aws:s3:::b/*"],
        condition: [{ test: "StringNotEquals", variable: "s3:x-amz-server-side-encryption-aws-kms-key-id", values: ["${aws_kms_key.k.arn}"] }],
      },
      { actions: ["kms:Decrypt"], resources: ["*"], principals: [{ type: "AWS", identifiers: ["arn:a"] }, { type: "AWS", identifiers: ["arn:b"] }] },
    ]);
    expect(converted).toEqual([
      {
        Sid: "DenyWrongKmsKey",
        Effect: "Deny",
        Principal: "*",
        Action: ["s3:PutObject"],
        Resource: ["arn:aws:s3:::b/*"],
        Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": ["${aws_kms_key.k.arn}"] } },
      },
      { Effect: "Allow", Principal: { AWS: ["arn:a", "arn:b"] }, Action: ["kms:Decrypt"], Resource: ["*"] },
    ]);
    const resolved = substituteReferences(converted, { "${aws_kms_key.k.arn}": "arn:aws:kms:eu-west-2:1:key/k" });
    const put = (key: string) => ({ action: "s3:PutObject", resource: "arn:aws:s3:::b/x", context: { "s3:x-amz-server-side-encryption-aws-kms-key-id": key } });
    expect(evaluatePolicy(resolved, put("arn:aws:kms:eu-west-2:1:key/k")).decision).toBe("implicit-deny");
    expect(evaluatePolicy(resolved, put("arn:aws:kms:eu-west-2:1:key/other")).decision).toBe("explicit-deny");
  });

  it("fails if two condition blocks repeat a test and variable", () => {
    expect(() =>
      fromTerraformStatements([
        {
          sid: "Twice",
          actions: ["s3:*"],
          resources: ["*"],
          condition: [
            { test: "StringEquals", variable: "k", values: ["a"] },
            { test: "StringEquals", variable: "k", values: ["b"] },
          ],
        },
      ]),
    ).toThrow(/two StringEquals conditions on k/);
  });
});
