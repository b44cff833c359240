import { Testing, TerraformStack } from "cdktf";
import { LoginRateLimits } from "../../constructs/login-rate-limits";
import { resourcesOf, synthJson } from "../helpers";

describe("LoginRateLimits", () => {
  const stack = new TerraformStack(Testing.app(), "test");
  const limits = new LoginRateLimits(stack, "limits", {
    mounts: [
      { mount: "approle", path: "approle", type: "approle" },
      { mount: "team/k8s", path: "team/k8s", type: "kubernetes" },
      { mount: "people", path: "people", type: "oidc" },
    ],
    rate: 30,
    intervalSeconds: 60,
    blockIntervalSeconds: 300,
  });
  const quotas = Object.values(resourcesOf(synthJson(stack), "vault_quota_rate_limit"));

  it("puts a quota on each login path of each mount (OIDC's browser steps too), named after the mount", () => {
    expect(quotas.map((q: any) => [q.name, q.path]).sort()).toEqual([
      ["login-approle", "auth/approle/login"],
      ["login-people", "auth/people/login"],
      ["login-people-oidc-auth-url", "auth/people/oidc/auth_url"],
      ["login-people-oidc-callback", "auth/people/oidc/callback"],
      ["login-team-k8s", "auth/team/k8s/login"],
    ]);
    expect(limits.quotaNames).toEqual({
      approle: ["login-approle"],
      "team/k8s": ["login-team-k8s"],
      people: ["login-people", "login-people-oidc-auth-url", "login-people-oidc-callback"],
    });
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
