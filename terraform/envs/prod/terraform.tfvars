# Production: headroom for a working day; GPU and Dask pools still scale
# from zero. Replace the example project, domain and group before the first
# apply.
project_id  = "nbplatform-prod"
environment = "prod"
region      = "asia-northeast1"
hub_domain  = "hub.example.com"
dns_zone    = "example-com"
image_tag   = "0.1.0"

hub_allowed_domains = ["example.com"]

iap_members = ["group:nbplatform-prod-users@example.com"]

user_placeholders = 2

node_pools = {
  core = {
    machine_type = "e2-standard-2"
    min_count    = 1
    max_count    = 3
    labels       = { "hub.jupyter.org/node-purpose" = "core" }
  }
  user = {
    machine_type = "n2-standard-8"
    min_count    = 1
    max_count    = 20
    labels       = { "hub.jupyter.org/node-purpose" = "user" }
    taints       = [{ key = "hub.jupyter.org_dedicated", value = "user", effect = "NO_SCHEDULE" }]
  }
  user-highmem = {
    machine_type = "n2-highmem-8"
    min_count    = 0
    max_count    = 6
    labels       = { "hub.jupyter.org/node-purpose" = "user", "nbplatform.io/pool" = "user-highmem" }
    taints       = [{ key = "hub.jupyter.org_dedicated", value = "user", effect = "NO_SCHEDULE" }]
  }
  gpu = {
    machine_type = "n1-standard-8"
    min_count    = 0
    max_count    = 4
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
    max_count    = 30
    spot         = true
    labels       = { "nbplatform.io/pool" = "dask" }
    taints       = [{ key = "nbplatform.io/dask", value = "true", effect = "NO_SCHEDULE" }]
  }
}
