import { readOnlyRootFilesystem } from "../../../../compliance/packs/kubernetes/read-only-root-filesystem";
import { check, CRON, cronPod } from "./fixtures";

describe("K8S-PSS-003 read-only root filesystem", () => {
  it("is compliant when every container has a read-only root filesystem", () => {
    expect(check(readOnlyRootFilesystem, CRON)).toEqual({
      status: "compliant",
      evidence: 'security_context.read_only_root_filesystem = true for init_container "vault", container "upload"',
    });
  });

  it("is non-compliant when a container has a writable root filesystem", () => {
    expect(check(readOnlyRootFilesystem, CRON, (j) => (cronPod(j).container[0].security_context.read_only_root_filesystem = false))).toEqual({
      status: "non-compliant",
      found: 'container "upload" security_context.read_only_root_filesystem = false',
    });
  });

  it("is non-compliant when a container has no security context", () => {
    expect(check(readOnlyRootFilesystem, CRON, (j) => delete cronPod(j).init_container[0].security_context)).toEqual({
      status: "non-compliant",
      found: 'init_container "vault" security_context.read_only_root_filesystem = null',
    });
  });
});
