# The Raft snapshot CronJob: take a snapshot, nothing else.
path "sys/storage/raft/snapshot" {
  capabilities = ["read"]
}
