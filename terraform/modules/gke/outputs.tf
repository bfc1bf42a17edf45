output "cluster_name" {
  description = "Name of the cluster."
  value       = google_container_cluster.this.name
}

output "cluster_id" {
  description = "ID of the cluster."
  value       = google_container_cluster.this.id
}

output "endpoint" {
  description = "Public control-plane endpoint, for the helm and kubernetes providers."
  value       = google_container_cluster.this.endpoint
  sensitive   = true
}

output "ca_certificate" {
  description = "Base64 cluster CA certificate, for the helm and kubernetes providers."
  value       = google_container_cluster.this.master_auth[0].cluster_ca_certificate
  sensitive   = true
}

output "workload_pool" {
  description = "Workload Identity pool (PROJECT.svc.id.goog)."
  value       = google_container_cluster.this.workload_identity_config[0].workload_pool
}

output "node_service_account" {
  description = "E-mail of the nodes' service account."
  value       = google_service_account.nodes.email
}

output "node_pool_names" {
  description = "Names of the node pools."
  value       = sort(keys(google_container_node_pool.pools))
}
