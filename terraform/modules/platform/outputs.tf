output "cluster_endpoint" {
  description = "Public control-plane endpoint of the cluster; the root's kubernetes and helm providers connect to https://ENDPOINT."
  value       = module.gke.endpoint
  sensitive   = true
}

output "cluster_ca_certificate" {
  description = "Base64 CA certificate of the cluster, for the root's kubernetes and helm providers."
  value       = module.gke.ca_certificate
  sensitive   = true
}

output "cluster_name" {
  description = "Name of the GKE cluster (gcloud container clusters get-credentials NAME --region REGION)."
  value       = module.gke.cluster_name
}

output "hub_url" {
  description = "URL of the hub."
  value       = module.ingress.hub_url
}

output "hub_address" {
  description = "Public IPv4 address of the hub."
  value       = module.ingress.address
}

output "image_registry" {
  description = "Artifact Registry prefix to push the hub, notebook and notebook-gpu images to."
  value       = module.registry.repository_url
}

output "snapshots_bucket" {
  description = "Bucket of promoted notebook snapshots."
  value       = module.storage.snapshots_bucket
}

output "runs_bucket" {
  description = "Bucket of scheduled run outputs."
  value       = module.storage.runs_bucket
}

output "service_accounts" {
  description = "Google service accounts of the hub, notebooks and jobs (the kustomize overlay annotates the Kubernetes accounts with them)."
  value = {
    hub      = module.identity.hub_email
    notebook = module.identity.notebook_email
    jobs     = module.identity.jobs_email
  }
}

output "iap_audience" {
  description = "Audience the hub checks in IAP tokens; null until iap_backend_service_name is set."
  value       = module.iap.iap_audience
}

output "cloudsql_connection_name" {
  description = "Connection name of the hub's Cloud SQL instance; null with the SQLite database."
  value       = var.hub_database == "cloudsql" ? module.cloudsql[0].connection_name : null
}
