# cert-manager's Vault issuer: sign on one PKI role.
path "pki_int/sign/cert-manager" {
  capabilities = ["update"]
}
