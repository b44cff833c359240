# The CI pipeline that applies vault-config-<env>: what that stack manages, nothing more.
# Mount paths are {{config.*}} policy variables (config/policy-variables.ts): each block is written once per
# mount the environment's config declares, so a new mount is applied without editing this file.
# Mounts of secrets engines and their tuning.
path "sys/mounts" {
  capabilities = ["read"]
}
path "sys/mounts/*" {
  capabilities = ["create", "read", "update", "delete"]
}
# Auth methods and their tuning (enabling one is root-protected, hence sudo).
path "sys/auth" {
  capabilities = ["read"]
}
path "sys/auth/*" {
  capabilities = ["create", "read", "update", "delete", "sudo"]
}
# ACL policies.
path "sys/policies/acl" {
  capabilities = ["list"]
}
path "sys/policies/acl/*" {
  capabilities = ["create", "read", "update", "delete"]
}
# Audit devices (root-protected).
path "sys/audit" {
  capabilities = ["read", "sudo"]
}
path "sys/audit/*" {
  capabilities = ["create", "read", "update", "delete", "sudo"]
}
path "sys/storage/raft/autopilot/configuration" {
  capabilities = ["read", "update"]
}
# Rate-limit quotas on the login paths (vault.loginRateLimit).
path "sys/quotas/rate-limit/*" {
  capabilities = ["create", "read", "update", "delete"]
}
# Configuration of the auth methods and engines it mounted.
path "auth/{{config.kubernetes_auth_mount}}/*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}
# AppRole roles and their role ids, but no secret-id path: a secret id would let CI log in as the application.
# (One segment with `+`, not `role/*`: a glob would also match role/<name>/secret-id, and a deny written as
# role/+/secret-id* would lose to role/* under Vault's priority rules.)
path "auth/{{config.approle_auth_mount}}/role/+" {
  capabilities = ["create", "read", "update", "delete"]
}
path "auth/{{config.approle_auth_mount}}/role/+/role-id" {
  capabilities = ["read"]
}
path "auth/{{config.jwt_auth_mount}}/*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}
# People's OIDC login: its configuration (the client secret comes from a sensitive variable) and group roles.
path "auth/{{config.oidc_auth_mount}}/*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}
path "{{config.database_mount}}/config/*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}
path "{{config.database_mount}}/roles/*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}
path "{{config.database_mount}}/rotate-root/*" {
  capabilities = ["update"]
}
path "{{config.transit_mount}}/keys/*" {
  capabilities = ["create", "read", "update", "list"]
}
# The AWS secrets engine's root configuration (region only: no key is ever written) and its roles; never creds/ or
# sts/ (those are the tenants' credentials).
path "{{config.aws_mount}}/config/root" {
  capabilities = ["create", "read", "update"]
}
path "{{config.aws_mount}}/roles/*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}
path "{{config.pki_root_mount}}/*" {
  capabilities = ["create", "read", "update", "list"]
}
path "{{config.pki_intermediate_mount}}/*" {
  capabilities = ["create", "read", "update", "list"]
}
# ...but CI issues no certificates, and no CA key is ever generated as "exported" (returned to the caller).
path "{{config.pki_root_mount}}/issue/*" {
  capabilities = ["deny"]
}
path "{{config.pki_root_mount}}/sign/*" {
  capabilities = ["deny"]
}
path "{{config.pki_root_mount}}/sign-verbatim*" {
  capabilities = ["deny"]
}
path "{{config.pki_intermediate_mount}}/issue/*" {
  capabilities = ["deny"]
}
path "{{config.pki_intermediate_mount}}/sign/*" {
  capabilities = ["deny"]
}
path "{{config.pki_intermediate_mount}}/sign-verbatim*" {
  capabilities = ["deny"]
}
path "{{config.pki_root_mount}}/root/generate/exported" {
  capabilities = ["deny"]
}
path "{{config.pki_root_mount}}/issuers/generate/root/exported" {
  capabilities = ["deny"]
}
path "{{config.pki_intermediate_mount}}/intermediate/generate/exported" {
  capabilities = ["deny"]
}
path "{{config.pki_intermediate_mount}}/issuers/generate/intermediate/exported" {
  capabilities = ["deny"]
}
# KV v2 engine configuration (versions kept, check-and-set) of every KV mount.
path "{{config.kv_mounts}}/config" {
  capabilities = ["create", "read", "update"]
}
# The restore drill's canary: written once (cas = 0), never read back by Terraform (disable_read).
path "{{config.restore_drill_canary}}" {
  capabilities = ["create", "update", "delete"]
}
# Child tokens for the provider's own runs.
path "auth/token/create" {
  capabilities = ["update"]
}
path "auth/token/lookup-self" {
  capabilities = ["read"]
}
