# VoiceHive connectors: their credentials in KV v2 at voicehive/ and field-level encryption with their key.
path "voicehive/data/connectors/*" {
  capabilities = ["read"]
}
path "voicehive/metadata/connectors/*" {
  capabilities = ["read", "list"]
}
path "transit/encrypt/voicehive-fields" {
  capabilities = ["update"]
}
path "transit/decrypt/voicehive-fields" {
  capabilities = ["update"]
}
