# config-service: its clients' {environment}/{service}/{key} layout on the secret/ KV v2 mount, for the
# environments in vault.policyVariables.config_service_environments (one block per environment), versioned:
# create, read, overwrite, list a service's keys, and delete, which its guide says removes the config from Vault:
# a metadata delete of the key (every version and the key itself), so a deleted key is no longer listed. Soft
# delete and undelete stay possible. Never destroy single versions, never remove a whole environment or service
# tree, and nothing outside its environments' trees (CheckTick's are beside them).
path "secret/data/{{config.config_service_environments}}/+/*" {
  capabilities = ["create", "read", "update", "patch", "delete"]
}
path "secret/metadata/{{config.config_service_environments}}/+/*" {
  capabilities = ["read", "list", "delete"]
}
# Its services (LIST secret/metadata/<env>/): a broader "<env>/*" would outrank the rule above (fewer + segments).
path "secret/metadata/{{config.config_service_environments}}/" {
  capabilities = ["list"]
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
