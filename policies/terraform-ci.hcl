# The CI pipeline that applies vault-config-<env>: what that stack manages, nothing more.
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
# Configuration of the auth methods and engines it mounted.
path "auth/kubernetes/*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}
# AppRole roles and their role ids, but no secret-id path: a secret id would let CI log in as the application.
# (One segment with `+`, not `role/*`: a glob would also match role/<name>/secret-id, and a deny written as
# role/+/secret-id* would lose to role/* under Vault's priority rules.)
path "auth/approle/role/+" {
  capabilities = ["create", "read", "update", "delete"]
}
path "auth/approle/role/+/role-id" {
  capabilities = ["read"]
}
path "auth/jwt/*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}
path "database/config/*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}
path "database/roles/*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}
path "database/rotate-root/*" {
  capabilities = ["update"]
}
path "transit/keys/*" {
  capabilities = ["create", "read", "update", "list"]
}
path "pki/*" {
  capabilities = ["create", "read", "update", "list"]
}
path "pki_int/*" {
  capabilities = ["create", "read", "update", "list"]
}
# ...but CI issues no certificates, and no CA key is ever generated as "exported" (returned to the caller).
path "pki/issue/*" {
  capabilities = ["deny"]
}
path "pki/sign/*" {
  capabilities = ["deny"]
}
path "pki/sign-verbatim*" {
  capabilities = ["deny"]
}
path "pki_int/issue/*" {
  capabilities = ["deny"]
}
path "pki_int/sign/*" {
  capabilities = ["deny"]
}
path "pki_int/sign-verbatim*" {
  capabilities = ["deny"]
}
path "pki/root/generate/exported" {
  capabilities = ["deny"]
}
path "pki/issuers/generate/root/exported" {
  capabilities = ["deny"]
}
path "pki_int/intermediate/generate/exported" {
  capabilities = ["deny"]
}
path "pki_int/issuers/generate/intermediate/exported" {
  capabilities = ["deny"]
}
path "secret/config" {
  capabilities = ["create", "read", "update"]
}
path "phoenix-guardian/config" {
  capabilities = ["create", "read", "update"]
}
path "voicehive/config" {
  capabilities = ["create", "read", "update"]
}
# Child tokens for the provider's own runs.
path "auth/token/create" {
  capabilities = ["update"]
}
path "auth/token/lookup-self" {
  capabilities = ["read"]
}
