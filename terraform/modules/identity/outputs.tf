output "hub_email" {
  description = "E-mail of the hub's Google service account (annotation on the chart's hub service account)."
  value       = google_service_account.workloads["hub"].email
}

output "notebook_email" {
  description = "E-mail of the notebooks' Google service account."
  value       = google_service_account.workloads["notebook"].email
}

output "jobs_email" {
  description = "E-mail of the scheduled jobs' Google service account."
  value       = google_service_account.workloads["jobs"].email
}
