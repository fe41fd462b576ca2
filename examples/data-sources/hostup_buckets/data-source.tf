# Every bucket of the account.
data "hostup_buckets" "all" {}

output "bucket_names" {
  value = data.hostup_buckets.all.buckets[*].name
}
