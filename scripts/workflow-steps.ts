/** Steps shared by the workflows `npm run workflows` generates. */

/**
 * hashicorp/vault-action logging in with the job's GitHub OIDC token as a JWT role, at the address and with the CA
 * that a previous step with id `vault` put in its outputs (`address`, `ca-cert-b64`); the token goes to VAULT_TOKEN.
 */
export function vaultJwtLogin(login: { readonly name: string; readonly path: string; readonly role: string; readonly audience: string; readonly if?: string }): Record<string, unknown> {
  return {
    name: login.name,
    ...(login.if ? { if: login.if } : {}),
    uses: "hashicorp/vault-action@v3",
    with: {
      url: "${{ steps.vault.outputs.address }}",
      caCertificate: "${{ steps.vault.outputs.ca-cert-b64 }}",
      method: "jwt",
      path: login.path,
      role: login.role,
      jwtGithubAudience: login.audience,
      exportToken: true,
    },
  };
}
