#!/usr/bin/env node
/**
 * Prints the Vault endpoint a synthesized vault-config stack's provider uses, as GitHub step outputs:
 *   address=<provider address>      ca-cert-b64=<base64 of the CA file the provider verifies Vault with>
 * so the workflow's own Vault login (vault-action) uses exactly the provider's address and CA, never a second copy
 * kept in repository variables. Plain Node (no install step): it runs first on the in-cluster runner.
 *
 * Usage: node scripts/vault-endpoint.js cdktf.out/stacks/vault-config-<env>/cdk.tf.json
 */
"use strict";
const { existsSync, readFileSync } = require("node:fs");

function fail(message) {
  process.stderr.write(`vault-endpoint: ${message}\n`);
  process.exit(1);
}

/** A provider attribute's value: a literal, or the default of the variable it names (`${var.x}`). */
function valueOf(stack, value, attribute) {
  const ref = typeof value === "string" ? /^\$\{var\.([A-Za-z0-9_-]+)\}$/.exec(value) : null;
  if (!ref) return value;
  const variable = (stack.variable || {})[ref[1]];
  if (!variable || typeof variable.default !== "string") fail(`provider.vault ${attribute} is var.${ref[1]}, which has no string default`);
  return variable.default;
}

const file = process.argv[2];
if (!file) fail("usage: node scripts/vault-endpoint.js <cdktf.out/stacks/vault-config-<env>/cdk.tf.json>");
if (!existsSync(file)) fail(`${file} does not exist (download or synthesize it first)`);
const stack = JSON.parse(readFileSync(file, "utf8"));
const provider = ((stack.provider || {}).vault || [])[0];
if (!provider) fail(`${file} has no vault provider`);
const address = valueOf(stack, provider.address, "address");
const caFile = valueOf(stack, provider.ca_cert_file, "ca_cert_file");
if (typeof address !== "string" || !address.startsWith("https://")) fail(`provider.vault address must be https:// (got ${address})`);
if (typeof caFile !== "string" || caFile === "") fail("provider.vault has no ca_cert_file");
if (!existsSync(caFile)) {
  fail(`Vault's CA is not at ${caFile}: the runner pods must mount the vault-ca ConfigMap (key ca.crt) there (README, "CI")`);
}
const pem = readFileSync(caFile, "utf8");
if (!pem.includes("-----BEGIN CERTIFICATE-----")) fail(`${caFile} holds no PEM certificate`);
process.stdout.write(`address=${address}\nca-cert-b64=${Buffer.from(pem).toString("base64")}\n`);
