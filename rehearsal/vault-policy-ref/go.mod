module vault-platform/rehearsal/vault-policy-ref

go 1.19
