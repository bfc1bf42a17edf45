# Providers are configured here and not in modules/platform. A module with
# its own provider blocks cannot take count, for_each or depends_on, and once
# its call is removed Terraform has no provider left to destroy its
# resources. The kubernetes and helm providers reach the cluster that the
# module creates.

provider "google" {
  project = var.project_id
  region  = var.region
}

data "google_client_config" "current" {}

provider "kubernetes" {
  host                   = "https://${module.platform.cluster_endpoint}"
  token                  = data.google_client_config.current.access_token
  cluster_ca_certificate = base64decode(module.platform.cluster_ca_certificate)
}

provider "helm" {
  kubernetes {
    host                   = "https://${module.platform.cluster_endpoint}"
    token                  = data.google_client_config.current.access_token
    cluster_ca_certificate = base64decode(module.platform.cluster_ca_certificate)
  }
}
