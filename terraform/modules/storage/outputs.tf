output "snapshots_bucket" {
  description = "Name of the job snapshot bucket (NBPLATFORM_SNAPSHOTS_URL is gs://NAME)."
  value       = google_storage_bucket.jobs["snapshots"].name
}

output "runs_bucket" {
  description = "Name of the run output bucket (NBPLATFORM_RUNS_URL is gs://NAME)."
  value       = google_storage_bucket.jobs["runs"].name
}
