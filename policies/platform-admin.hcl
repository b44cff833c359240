# Platform administrators: broad operational access for break-glass, never root.
# Secrets and engines.
path "secret/*" {
  capabilities = ["create", "read", "update", "patch", "delete", "list"]
}
path "phoenix-guardian/*" {
  capabilities = ["create", "read", "update", "patch", "delete", "list"]
}
path "voicehive/*" {
  capabilities = ["create", "read", "update", "patch", "delete", "list"]
}
path "database/*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}
path "transit/keys/*" {
  capabilities = ["create", "read", "update", "list"]
}
path "pki/*" {
  capabilities = ["create", "read", "update", "delete", "list", "sudo"]
}
path "pki_int/*" {
  capabilities = ["create", "read", "update", "delete", "list", "sudo"]
}
# System backend: mounts, auth, policies, audit, Raft, leases.
path "sys/*" {
  capabilities = ["create", "read", "update", "delete", "list", "sudo"]
}
path "auth/*" {
  capabilities = ["create", "read", "update", "delete", "list", "sudo"]
}
path "identity/*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}
