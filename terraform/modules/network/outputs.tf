output "network_id" {
  description = "ID of the VPC, for the cluster and Cloud SQL private IP."
  value       = google_compute_network.this.id
}

output "network_name" {
  description = "Name of the VPC."
  value       = google_compute_network.this.name
}

output "subnet_id" {
  description = "ID of the node subnet."
  value       = google_compute_subnetwork.nodes.id
}

output "pods_range_name" {
  description = "Name of the secondary range for pods."
  value       = google_compute_subnetwork.nodes.secondary_ip_range[0].range_name
}

output "services_range_name" {
  description = "Name of the secondary range for Services."
  value       = google_compute_subnetwork.nodes.secondary_ip_range[1].range_name
}

output "private_services_connection" {
  description = "Private services access connection; Cloud SQL with a private IP depends on it."
  value       = google_service_networking_connection.private_services.id
}
