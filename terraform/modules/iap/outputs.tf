output "project_number" {
  description = "Number of the project, the first part of the IAP audience."
  value       = data.google_project.this.number
}

output "iap_audience" {
  description = <<-EOT
    Value for NBPLATFORM_IAP_AUDIENCE (c.IAPAuthenticator.audience):
    /projects/PROJECT_NUMBER/global/backendServices/BACKEND_SERVICE_ID.
    Null until backend_service_name is set, because the ID exists only after the Ingress created the backend.
  EOT
  value = (
    var.backend_service_name == null
    ? null
    : "/projects/${data.google_project.this.number}/global/backendServices/${data.google_compute_backend_service.hub[0].generated_id}"
  )
}

output "access_members" {
  description = "Principals granted roles/iap.httpsResourceAccessor."
  value       = sort(var.members)
}
