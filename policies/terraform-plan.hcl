# Pull-request plans of vault-config-<env>: read what that stack manages so Terraform can refresh it, change nothing.
# Runs for any pull request, so it must never be able to write, read a secret or use a key.
# Mount paths are {{config.*}} policy variables (config/policy-variables.ts), written once per configured mount.
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
path "sys/quotas/rate-limit/*" {
  capabilities = ["read"]
}
path "auth/{{config.kubernetes_auth_mount}}/config" {
  capabilities = ["read"]
}
path "auth/{{config.kubernetes_auth_mount}}/role/*" {
  capabilities = ["read", "list"]
}
path "auth/{{config.approle_auth_mount}}/role/+" {
  capabilities = ["read"]
}
path "auth/{{config.approle_auth_mount}}/role/+/role-id" {
  capabilities = ["read"]
}
path "auth/{{config.jwt_auth_mount}}/config" {
  capabilities = ["read"]
}
path "auth/{{config.jwt_auth_mount}}/role/*" {
  capabilities = ["read", "list"]
}
# The OIDC login's configuration (Vault never returns the client secret) and its group roles.
path "auth/{{config.oidc_auth_mount}}/config" {
  capabilities = ["read"]
}
path "auth/{{config.oidc_auth_mount}}/role/*" {
  capabilities = ["read", "list"]
}
path "{{config.database_mount}}/config/*" {
  capabilities = ["read", "list"]
}
path "{{config.database_mount}}/roles/*" {
  capabilities = ["read", "list"]
}
path "{{config.transit_mount}}/keys/*" {
  capabilities = ["read", "list"]
}
path "{{config.aws_mount}}/config/root" {
  capabilities = ["read"]
}
path "{{config.aws_mount}}/roles/*" {
  capabilities = ["read", "list"]
}
path "{{config.pki_root_mount}}/config/*" {
  capabilities = ["read"]
}
path "{{config.pki_root_mount}}/roles/*" {
  capabilities = ["read", "list"]
}
path "{{config.pki_root_mount}}/issuers" {
  capabilities = ["list"]
}
path "{{config.pki_root_mount}}/issuer/*" {
  capabilities = ["read"]
}
path "{{config.pki_intermediate_mount}}/config/*" {
  capabilities = ["read"]
}
path "{{config.pki_intermediate_mount}}/roles/*" {
  capabilities = ["read", "list"]
}
path "{{config.pki_intermediate_mount}}/issuers" {
  capabilities = ["list"]
}
path "{{config.pki_intermediate_mount}}/issuer/*" {
  capabilities = ["read"]
}
path "{{config.kv_mounts}}/config" {
  capabilities = ["read"]
}
# The provider's child token.
path "auth/token/create" {
  capabilities = ["update"]
}
path "auth/token/lookup-self" {
  capabilities = ["read"]
}
