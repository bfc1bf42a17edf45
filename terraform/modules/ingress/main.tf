# Public entry of the hub: a global static IP for the GCE Ingress, a
# Google-managed certificate for the host name and the DNS record that
# points the host name at the IP. hub/values.yaml names the address and the
# certificate in its Ingress annotations.

resource "google_compute_global_address" "hub" {
  project = var.project_id
  name    = var.address_name
}

resource "google_compute_managed_ssl_certificate" "hub" {
  project = var.project_id
  name    = var.certificate_name

  managed {
    domains = [var.hub_domain]
  }
}

resource "google_dns_record_set" "hub" {
  project      = var.dns_project_id == null ? var.project_id : var.dns_project_id
  managed_zone = var.dns_zone
  name         = "${var.hub_domain}."
  type         = "A"
  ttl          = 300
  rrdatas      = [google_compute_global_address.hub.address]
}
