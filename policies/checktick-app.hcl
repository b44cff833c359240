# CheckTick: key escrow in KV v2 at secret/ (its runbook's paths), nothing else.
path "secret/data/platform/*" {
  capabilities = ["create", "read", "update"]
}
path "secret/data/organisations/*" {
  capabilities = ["create", "read", "update"]
}
path "secret/data/teams/*" {
  capabilities = ["create", "read", "update"]
}
path "secret/data/surveys/*" {
  capabilities = ["create", "read", "update"]
}
path "secret/data/users/*" {
  capabilities = ["create", "read", "update", "delete"]
}
path "secret/metadata/platform/*" {
  capabilities = ["read", "list"]
}
path "secret/metadata/organisations/*" {
  capabilities = ["read", "list"]
}
path "secret/metadata/teams/*" {
  capabilities = ["read", "list"]
}
path "secret/metadata/surveys/*" {
  capabilities = ["read", "list"]
}
path "secret/metadata/users/*" {
  capabilities = ["read", "list"]
}
