# Providers live in the root so that modules/platform stays a plain module.
# The kubernetes and helm providers reach the cluster that the module makes.

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
