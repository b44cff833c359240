import { noPrivilegeEscalation } from "../../../../compliance/packs/kubernetes/no-privilege-escalation";
import { check, CRON, cronPod } from "./fixtures";

describe("K8S-PSS-002 no privilege escalation", () => {
  it("is compliant when every container sets it false", () => {
    expect(check(noPrivilegeEscalation, CRON)).toEqual({
      status: "compliant",
      evidence: 'security_context.allow_privilege_escalation = false for init_container "vault", container "upload"',
    });
  });

  it("is non-compliant when an init container leaves it unset", () => {
    expect(check(noPrivilegeEscalation, CRON, (j) => delete cronPod(j).init_container[0].security_context.allow_privilege_escalation)).toEqual({
      status: "non-compliant",
      found: 'init_container "vault" security_context.allow_privilege_escalation = null',
    });
  });

  it("is non-compliant when a container allows it", () => {
    expect(check(noPrivilegeEscalation, CRON, (j) => (cronPod(j).container[0].security_context = [{ allow_privilege_escalation: true }]))).toEqual({
      status: "non-compliant",
      found: 'container "upload" security_context.allow_privilege_escalation = true',
    });
  });
});
