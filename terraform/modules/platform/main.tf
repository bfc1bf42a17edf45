# The whole platform in one environment: network, cluster, storage,
# identities, registry, ingress, IAP, secrets and the Helm releases. Each
# root under envs/ calls this module once with its own terraform.tfvars.
# The module configures no provider: the root configures google, and the
# kubernetes and helm providers against cluster_endpoint and
# cluster_ca_certificate (outputs.tf).

locals {
  # The platform_labels local exists because checkov 3.3.30, which
  # renders variables through two module levels in hash order, sometimes
  # leaves merge(var.labels, { environment = var.environment }) unevaluated
  # and then fails CKV_GCP_21 (cluster labels). Terraform gives the same
  # labels either way.
  platform_labels = {
    platform    = "nbplatform"
    environment = var.environment
  }
  labels = merge(var.labels, local.platform_labels)

  # Secret Manager secrets copied into Kubernetes Secrets once they have a
  # version (var.mirror_secrets). Names match hub/values.yaml and the job
  # CronJobs (Sentry) and hub/kustomize/base/iap-backendconfig.yaml (IAP).
  mirrored_secrets = var.mirror_secrets ? {
    sentry_dsn_hub = {
      secret_id         = module.secrets.sentry_dsn_secret
      namespace         = "nbplatform"
      kubernetes_secret = "nbplatform-alerts"
      kubernetes_key    = "sentry-dsn"
    }
    sentry_dsn_jobs = {
      secret_id         = module.secrets.sentry_dsn_secret
      namespace         = "nbplatform-jobs"
      kubernetes_secret = "nbplatform-alerts"
      kubernetes_key    = "sentry-dsn"
    }
    iap_client_id = {
      secret_id         = module.secrets.iap_oauth_client_id_secret
      namespace         = "nbplatform"
      kubernetes_secret = "iap-oauth-client"
      kubernetes_key    = "client_id"
    }
    iap_client_secret = {
      secret_id         = module.secrets.iap_oauth_client_secret_secret
      namespace         = "nbplatform"
      kubernetes_secret = "iap-oauth-client"
      kubernetes_key    = "client_secret"
    }
  } : {}
}

resource "google_project_service" "apis" {
  for_each = toset([
    "artifactregistry.googleapis.com",
    "bigquery.googleapis.com",
    "binaryauthorization.googleapis.com",
    "compute.googleapis.com",
    "container.googleapis.com",
    "dns.googleapis.com",
    "iap.googleapis.com",
    "secretmanager.googleapis.com",
    "servicenetworking.googleapis.com",
    "sqladmin.googleapis.com",
    "storage.googleapis.com",
  ])

  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}

module "network" {
  source = "../network"

  project_id = var.project_id
  region     = var.region

  depends_on = [google_project_service.apis]
}

module "gke" {
  source = "../gke"

  project_id                 = var.project_id
  region                     = var.region
  network_id                 = module.network.network_id
  subnet_id                  = module.network.subnet_id
  pods_range_name            = module.network.pods_range_name
  services_range_name        = module.network.services_range_name
  release_channel            = var.release_channel
  master_authorized_networks = var.master_authorized_networks
  node_pools                 = var.node_pools
  labels                     = local.labels
}

module "storage" {
  source = "../storage"

  project_id          = var.project_id
  location            = var.region
  bucket_prefix       = var.project_id
  runs_retention_days = var.runs_retention_days
  labels              = local.labels

  depends_on = [google_project_service.apis]
}

module "registry" {
  source = "../registry"

  project_id = var.project_id
  region     = var.region
  labels     = local.labels

  depends_on = [google_project_service.apis]
}

module "identity" {
  source = "../identity"

  project_id            = var.project_id
  workload_pool         = module.gke.workload_pool
  snapshots_bucket      = module.storage.snapshots_bucket
  runs_bucket           = module.storage.runs_bucket
  bigquery_datasets     = var.bigquery_datasets
  grant_cloudsql_client = var.hub_database == "cloudsql"
}

module "ingress" {
  source = "../ingress"

  project_id     = var.project_id
  hub_domain     = var.hub_domain
  dns_zone       = var.dns_zone
  dns_project_id = var.dns_project_id

  depends_on = [google_project_service.apis]
}

# Access through IAP for the chosen Google groups (module by the auth side of the project).
module "iap" {
  source = "../iap"

  project_id           = var.project_id
  members              = var.iap_members
  backend_service_name = var.iap_backend_service_name

  depends_on = [google_project_service.apis]
}

module "secrets" {
  source = "../secrets"

  project_id          = var.project_id
  region              = var.region
  hub_service_account = module.identity.hub_email
  labels              = local.labels

  depends_on = [google_project_service.apis]
}

module "cloudsql" {
  source = "../cloudsql"
  count  = var.hub_database == "cloudsql" ? 1 : 0

  project_id          = var.project_id
  region              = var.region
  network_id          = module.network.network_id
  hub_service_account = module.identity.hub_email
  labels              = local.labels

  depends_on = [module.network]
}

# Installed once hub/kustomize/overlays/ENV is applied (see docs/deploy.md):
# the hub needs the profiles ConfigMap and the storage class from there.
module "helm_releases" {
  source = "../helm_releases"
  count  = var.install_charts ? 1 : 0

  project_id          = var.project_id
  region              = var.region
  hub_domain          = var.hub_domain
  address_name        = module.ingress.address_name
  certificate_name    = module.ingress.certificate_name
  image_registry      = var.image_registry == null ? module.registry.repository_url : var.image_registry
  image_tag           = var.image_tag
  hub_service_account = module.identity.hub_email
  snapshots_bucket    = module.storage.snapshots_bucket
  runs_bucket         = module.storage.runs_bucket
  user_placeholders   = var.user_placeholders
  hub_database        = var.hub_database
  iap_audience        = module.iap.iap_audience
  hub_allowed_domains = var.hub_allowed_domains
  hub_admin_users     = var.hub_admin_users
  mirrored_secrets    = local.mirrored_secrets

  depends_on = [module.cloudsql]
}
