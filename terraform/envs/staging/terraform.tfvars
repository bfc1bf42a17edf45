# Staging: small pools that scale to zero when nobody works. Replace the
# example project, domain and group before the first apply.
project_id  = "nbplatform-staging"
environment = "staging"
region      = "asia-northeast1"
hub_domain  = "hub.staging.example.com"
dns_zone    = "example-com"
image_tag   = "0.1.0"

hub_allowed_domains = ["example.com"]

iap_members = ["group:nbplatform-staging-users@example.com"]

user_placeholders = 0

node_pools = {
  core = {
    machine_type = "e2-standard-2"
    min_count    = 1
    max_count    = 2
    labels       = { "hub.jupyter.org/node-purpose" = "core" }
  }
  user = {
    machine_type = "n2-standard-4"
    min_count    = 0
    max_count    = 4
    labels       = { "hub.jupyter.org/node-purpose" = "user" }
    taints       = [{ key = "hub.jupyter.org_dedicated", value = "user", effect = "NO_SCHEDULE" }]
  }
  user-highmem = {
    machine_type = "n2-highmem-4"
    min_count    = 0
    max_count    = 2
    labels       = { "hub.jupyter.org/node-purpose" = "user", "nbplatform.io/pool" = "user-highmem" }
    taints       = [{ key = "hub.jupyter.org_dedicated", value = "user", effect = "NO_SCHEDULE" }]
  }
  gpu = {
    machine_type = "n1-standard-8"
    min_count    = 0
    max_count    = 1
    accelerator  = { type = "nvidia-tesla-t4", count = 1 }
    labels       = { "hub.jupyter.org/node-purpose" = "user" }
    taints = [
      { key = "hub.jupyter.org_dedicated", value = "user", effect = "NO_SCHEDULE" },
      { key = "nvidia.com/gpu", value = "present", effect = "NO_SCHEDULE" },
    ]
  }
  dask = {
    machine_type = "n2-standard-8"
    min_count    = 0
    max_count    = 4
    spot         = true
    labels       = { "nbplatform.io/pool" = "dask" }
    taints       = [{ key = "nbplatform.io/dask", value = "true", effect = "NO_SCHEDULE" }]
  }
}
