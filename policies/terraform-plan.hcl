# Pull-request plans of vault-config-<env>: read what that stack manages so Terraform can refresh it, change nothing.
# Runs for any pull request, so it must never be able to write, read a secret or use a key.
path "sys/mounts" {
  capabilities = ["read"]
}
path "sys/mounts/*" {
  capabilities = ["read"]
}
path "sys/auth" {
  capabilities = ["read"]
}
path "sys/auth/*" {
  capabilities = ["read"]
}
path "sys/policies/acl" {
  capabilities = ["list"]
}
path "sys/policies/acl/*" {
  capabilities = ["read"]
}
# Listing audit devices is root-protected: read needs sudo here, and nothing else on sys/audit is granted.
path "sys/audit" {
  capabilities = ["read", "sudo"]
}
path "sys/storage/raft/autopilot/configuration" {
  capabilities = ["read"]
}
path "auth/kubernetes/config" {
  capabilities = ["read"]
}
path "auth/kubernetes/role/*" {
  capabilities = ["read", "list"]
}
path "auth/approle/role/+" {
  capabilities = ["read"]
}
path "auth/approle/role/+/role-id" {
  capabilities = ["read"]
}
path "auth/jwt/config" {
  capabilities = ["read"]
}
path "auth/jwt/role/*" {
  capabilities = ["read", "list"]
}
path "database/config/*" {
  capabilities = ["read", "list"]
}
path "database/roles/*" {
  capabilities = ["read", "list"]
}
path "transit/keys/*" {
  capabilities = ["read", "list"]
}
path "pki/config/*" {
  capabilities = ["read"]
}
path "pki/roles/*" {
  capabilities = ["read", "list"]
}
path "pki/issuers" {
  capabilities = ["list"]
}
path "pki/issuer/*" {
  capabilities = ["read"]
}
path "pki_int/config/*" {
  capabilities = ["read"]
}
path "pki_int/roles/*" {
  capabilities = ["read", "list"]
}
path "pki_int/issuers" {
  capabilities = ["list"]
}
path "pki_int/issuer/*" {
  capabilities = ["read"]
}
path "secret/config" {
  capabilities = ["read"]
}
path "phoenix-guardian/config" {
  capabilities = ["read"]
}
path "voicehive/config" {
  capabilities = ["read"]
}
# The provider's child token.
path "auth/token/create" {
  capabilities = ["update"]
}
path "auth/token/lookup-self" {
  capabilities = ["read"]
}
