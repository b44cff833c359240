import { tlsListeners } from "../../../../compliance/packs/vault-server/tls-listeners";
import { check, hclWith } from "./fixtures";

const LISTENER = 'listener "tcp" {\n  address = "[::]:8200"';

describe("VLT-TLS-001 TLS on every listener", () => {
  it("is compliant with TLS listeners and global.tlsDisable false", async () => {
    expect(await check(tlsListeners)).toEqual({
      status: "compliant",
      evidence: 'values global.tlsDisable = false; server.ha.raft.config listener "tcp"[0] without tls_disable',
    });
  });

  it.each(["true", '"true"', "1", '"1"'])("is non-compliant with tls_disable = %s on a listener", async (flag) => {
    const outcome = await check(tlsListeners, { values: hclWith(LISTENER, `${LISTENER}\n  tls_disable = ${flag}`) });
    expect(outcome).toMatchObject({ status: "non-compliant", found: expect.stringMatching(/listener "tcp"\[0\] tls_disable = /) });
  });

  it("finds a second, plain-text listener", async () => {
    const outcome = await check(tlsListeners, {
      values: hclWith("storage", 'listener "tcp" {\n  address = "127.0.0.1:8300"\n  tls_disable = true\n}\n\nstorage'),
    });
    expect(outcome).toEqual({ status: "non-compliant", found: 'server.ha.raft.config listener "tcp"[1] tls_disable = true' });
  });

  it("is non-compliant when global.tlsDisable is unset (the chart defaults to true)", async () => {
    const outcome = await check(tlsListeners, { values: (v) => delete v.global.tlsDisable });
    expect(outcome).toEqual({ status: "non-compliant", found: "values global.tlsDisable is not set (chart default true)" });
  });

  it("is non-compliant when the server config does not parse", async () => {
    const outcome = await check(tlsListeners, { values: (v) => (v.server.ha.raft.config = 'listener "tcp" {') });
    expect(outcome).toMatchObject({ status: "non-compliant", found: expect.stringMatching(/server\.ha\.raft\.config does not parse/) });
  });

  it("is non-compliant when the server config uses HCL 2 syntax, which Vault's HCL 1 parser refuses at start", async () => {
    const outcome = await check(tlsListeners, { values: hclWith(LISTENER, `${LISTENER}\n  tls_disable = var.plain ? 1 : 0`) });
    expect(outcome).toMatchObject({ status: "non-compliant", found: expect.stringMatching(/server\.ha\.raft\.config does not parse: .*Unknown token/) });
  });

  it("is non-compliant when the server config is replaced through a set entry", async () => {
    const outcome = await check(tlsListeners, { release: { set: [{ name: "server.ha.raft.config", value: "ui = true" }] } });
    expect(outcome).toMatchObject({ status: "non-compliant", found: expect.stringMatching(/set through a set\/set_sensitive entry/) });
  });
});
