module vault-platform/rehearsal/kubernetes-cron-ref

go 1.19
