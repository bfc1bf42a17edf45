output "address" {
  description = "The hub's public IPv4 address."
  value       = google_compute_global_address.hub.address
}

output "address_name" {
  description = "Name of the global address, for the Ingress annotation."
  value       = google_compute_global_address.hub.name
}

output "certificate_name" {
  description = "Name of the managed certificate, for the Ingress annotation."
  value       = google_compute_managed_ssl_certificate.hub.name
}

output "hub_url" {
  description = "URL of the hub."
  value       = "https://${var.hub_domain}/"
}
