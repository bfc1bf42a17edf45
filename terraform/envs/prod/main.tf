# One environment of nbplatform: a thin root around modules/platform, which
# composes the network, cluster, storage, identities, registry, ingress, IAP,
# secrets and Helm releases. Every .tf file here is the same in every
# environment except backend.tf (tests/deploy/test_terraform.py checks
# this); terraform.tfvars holds the environment's names and sizes.

module "platform" {
  source = "../../modules/platform"

  project_id                 = var.project_id
  environment                = var.environment
  region                     = var.region
  release_channel            = var.release_channel
  hub_domain                 = var.hub_domain
  dns_zone                   = var.dns_zone
  dns_project_id             = var.dns_project_id
  iap_members                = var.iap_members
  hub_allowed_domains        = var.hub_allowed_domains
  hub_admin_users            = var.hub_admin_users
  iap_backend_service_name   = var.iap_backend_service_name
  master_authorized_networks = var.master_authorized_networks
  node_pools                 = var.node_pools
  image_registry             = var.image_registry
  image_tag                  = var.image_tag
  bigquery_datasets          = var.bigquery_datasets
  runs_retention_days        = var.runs_retention_days
  hub_database               = var.hub_database
  user_placeholders          = var.user_placeholders
  install_charts             = var.install_charts
  mirror_secrets             = var.mirror_secrets
  labels                     = var.labels
}
