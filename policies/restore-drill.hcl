# The quarterly restore drill (docs/restore-drill.md): after restoring a snapshot into a scratch Vault, read the
# canary the config stack wrote (vault.restoreDrill.canary), and nothing else.
path "{{config.restore_drill_canary}}" {
  capabilities = ["read"]
}
