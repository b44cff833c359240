# config-service: its {environment}/{service}/{key} tree under secret/config/, versioned; nothing else.
path "secret/data/config/+/+/*" {
  capabilities = ["create", "read", "update", "patch"]
}
path "secret/metadata/config/*" {
  capabilities = ["read", "list"]
}
path "secret/delete/config/+/+/*" {
  capabilities = ["update"]
}
path "secret/undelete/config/+/+/*" {
  capabilities = ["update"]
}
