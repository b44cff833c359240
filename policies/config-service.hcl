# config-service: its clients' {environment}/{service}/{key} layout on the secret/ KV v2 mount, for the
# environments in vault.policyVariables.config_service_environments (one block per environment), versioned:
# create, read, overwrite, list a service's keys, delete (soft: the versions stay and can be undeleted).
# Never destroy, never metadata delete, and nothing outside its environments' trees (CheckTick's are beside them).
path "secret/data/{{config.config_service_environments}}/+/*" {
  capabilities = ["create", "read", "update", "patch", "delete"]
}
path "secret/metadata/{{config.config_service_environments}}/*" {
  capabilities = ["read", "list"]
}
path "secret/metadata/{{config.config_service_environments}}" {
  capabilities = ["list"]
}
path "secret/delete/{{config.config_service_environments}}/+/*" {
  capabilities = ["update"]
}
path "secret/undelete/{{config.config_service_environments}}/+/*" {
  capabilities = ["update"]
}
