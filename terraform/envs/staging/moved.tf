# Before modules/platform existed, this root declared the project services
# and the module calls itself. These blocks move their state to the same
# objects inside module.platform, so the first plan after the change lists
# moves and no destroy or create. Remove them only once every environment's
# state has been applied with them.

moved {
  from = google_project_service.apis
  to   = module.platform.google_project_service.apis
}

moved {
  from = module.network
  to   = module.platform.module.network
}

moved {
  from = module.gke
  to   = module.platform.module.gke
}

moved {
  from = module.storage
  to   = module.platform.module.storage
}

moved {
  from = module.registry
  to   = module.platform.module.registry
}

moved {
  from = module.identity
  to   = module.platform.module.identity
}

moved {
  from = module.ingress
  to   = module.platform.module.ingress
}

moved {
  from = module.iap
  to   = module.platform.module.iap
}

moved {
  from = module.secrets
  to   = module.platform.module.secrets
}

moved {
  from = module.cloudsql
  to   = module.platform.module.cloudsql
}

moved {
  from = module.helm_releases
  to   = module.platform.module.helm_releases
}
