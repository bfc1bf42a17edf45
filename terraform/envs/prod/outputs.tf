output "cluster_name" {
  description = "Name of the GKE cluster (gcloud container clusters get-credentials NAME --region REGION)."
  value       = module.platform.cluster_name
}

output "hub_url" {
  description = "URL of the hub."
  value       = module.platform.hub_url
}

output "hub_address" {
  description = "Public IPv4 address of the hub."
  value       = module.platform.hub_address
}

output "image_registry" {
  description = "Artifact Registry prefix to push the hub, notebook and notebook-gpu images to."
  value       = module.platform.image_registry
}

output "snapshots_bucket" {
  description = "Bucket of promoted notebook snapshots."
  value       = module.platform.snapshots_bucket
}

output "runs_bucket" {
  description = "Bucket of scheduled run outputs."
  value       = module.platform.runs_bucket
}

output "service_accounts" {
  description = "Google service accounts of the hub, notebooks and jobs (the kustomize overlay annotates the Kubernetes accounts with them)."
  value       = module.platform.service_accounts
}

output "iap_audience" {
  description = "Audience the hub checks in IAP tokens; null until iap_backend_service_name is set."
  value       = module.platform.iap_audience
}

output "cloudsql_connection_name" {
  description = "Connection name of the hub's Cloud SQL instance; null with the SQLite database."
  value       = module.platform.cloudsql_connection_name
}
