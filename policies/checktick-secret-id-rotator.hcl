# The scheduled workflow that rotates CheckTick's AppRole secret ID (.github/workflows/rotate-checktick-secret-id.yml):
# issue a secret ID of checktick-app, only response-wrapped (a request without X-Vault-Wrap-TTL between these
# bounds is refused, so the secret ID itself never appears in the workflow), and nothing else.
path "auth/{{config.approle_auth_mount}}/role/checktick-app/secret-id" {
  capabilities = ["update"]
  min_wrapping_ttl = "1m"
  max_wrapping_ttl = "24h"
}
