# Phoenix Guardian, as its ADR states: application secrets, dynamic database credentials, patient-data
# encryption, JWT signing, and an explicit deny on sys/ and auth/.
path "phoenix-guardian/data/api/*" {
  capabilities = ["read"]
}
path "phoenix-guardian/metadata/api/*" {
  capabilities = ["read", "list"]
}
path "database/creds/app-role" {
  capabilities = ["read"]
}
path "transit/encrypt/patient-data" {
  capabilities = ["update"]
}
path "transit/decrypt/patient-data" {
  capabilities = ["update"]
}
# Its JWTs: sign and verify with its ed25519 key (the private key never leaves Vault).
path "transit/sign/phoenix-guardian-jwt" {
  capabilities = ["update"]
}
path "transit/verify/phoenix-guardian-jwt" {
  capabilities = ["update"]
}
# Its cloud credentials: STS credentials of its own IAM role, from the AWS secrets engine (vault.aws). Only its
# role: another tenant's role is another tenant's AWS account access.
path "{{config.aws_mount}}/creds/phoenix-guardian" {
  capabilities = ["read"]
}
path "pki_int/issue/phoenix-guardian" {
  capabilities = ["update"]
}
path "sys/*" {
  capabilities = ["deny"]
}
path "auth/*" {
  capabilities = ["deny"]
}
