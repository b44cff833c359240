import { runAsNonRoot } from "../../../../compliance/packs/kubernetes/run-as-non-root";
import { check, CRON, cronPod } from "./fixtures";

describe("K8S-PSS-001 containers run as non-root", () => {
  it("is compliant with run_as_non_root on the pod and every container", () => {
    expect(check(runAsNonRoot, CRON)).toEqual({
      status: "compliant",
      evidence: 'run_as_non_root = true for init_container "vault", container "upload" (spec.job_template.spec.template.spec.security_context.run_as_non_root = true)',
    });
  });

  it("is compliant with run_as_non_root on the pod only", () => {
    const outcome = check(runAsNonRoot, CRON, (j) => {
      for (const c of [...cronPod(j).init_container, ...cronPod(j).container]) delete c.security_context.run_as_non_root;
    });
    expect(outcome.status).toBe("compliant");
  });

  it("is non-compliant when an init container overrides it to false", () => {
    expect(check(runAsNonRoot, CRON, (j) => (cronPod(j).init_container[0].security_context.run_as_non_root = false))).toEqual({
      status: "non-compliant",
      found: 'init_container "vault" run_as_non_root = false (neither container nor pod sets true)',
    });
  });

  it("is non-compliant when nothing sets it, or with uid 0", () => {
    const outcome = check(runAsNonRoot, CRON, (j) => {
      delete cronPod(j).security_context;
      delete cronPod(j).init_container[0].security_context.run_as_non_root;
      cronPod(j).container[0].security_context.run_as_user = "0";
    });
    expect(outcome).toEqual({
      status: "non-compliant",
      found: 'init_container "vault" run_as_non_root = null (neither container nor pod sets true); container "upload" security_context.run_as_user = "0"',
    });
  });
});
