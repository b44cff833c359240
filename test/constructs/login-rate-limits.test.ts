import { Testing, TerraformStack } from "cdktf";
import { LoginRateLimits } from "../../constructs/login-rate-limits";
import { resourcesOf, synthJson } from "../helpers";

describe("LoginRateLimits", () => {
  const stack = new TerraformStack(Testing.app(), "test");
  const limits = new LoginRateLimits(stack, "limits", {
    mounts: [
      { mount: "approle", path: "approle" },
      { mount: "team/k8s", path: "team/k8s" },
    ],
    rate: 30,
    intervalSeconds: 60,
    blockIntervalSeconds: 300,
  });
  const quotas = Object.values(resourcesOf(synthJson(stack), "vault_quota_rate_limit"));

  it("puts one quota on each mount's login path, named after the mount", () => {
    expect(quotas.map((q: any) => [q.name, q.path])).toEqual([
      ["login-approle", "auth/approle/login"],
      ["login-team-k8s", "auth/team/k8s/login"],
    ]);
    expect(limits.quotaNames).toEqual({ approle: "login-approle", "team/k8s": "login-team-k8s" });
  });

  it("limits to the rate per interval and blocks a client over it", () => {
    for (const q of quotas) expect(q).toMatchObject({ rate: 30, interval: 60, block_interval: 300 });
  });

  it("fails if the rate is not positive", () => {
    expect(() => new LoginRateLimits(new TerraformStack(Testing.app(), "t"), "l", { mounts: [], rate: 0, intervalSeconds: 60, blockIntervalSeconds: 0 })).toThrow(
      /rate must be positive/,
    );
  });
});
