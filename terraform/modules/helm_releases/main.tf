# The Zero to JupyterHub chart with hub/values.yaml, and the dask-kubernetes
# operator that notebooks and jobs use to start Dask clusters. Apply the
# kustomize overlay (hub/kustomize/overlays/ENV) before this module: the hub
# mounts the profiles ConfigMap and its disk uses the storage class from there.

locals {
  # values-cloudsql.yaml names the project and region as placeholders. Helm's
  # --set cannot change one item of a list without replacing the list, so the
  # placeholders are filled in the file's text instead.
  cloudsql_values = replace(
    replace(file("${path.module}/../../../hub/values-cloudsql.yaml"), "PROJECT_ID", var.project_id),
    "REGION", var.region,
  )
  values_files = concat(
    [file("${path.module}/../../../hub/values.yaml")],
    var.hub_database == "cloudsql" ? [local.cloudsql_values] : [],
  )

  # Values that differ per environment. Keys use Helm's --set syntax.
  hub_settings = merge(
    {
      "ingress.hosts[0]"                                                    = var.hub_domain
      "ingress.annotations.kubernetes\\.io/ingress\\.global-static-ip-name" = var.address_name
      "ingress.annotations.ingress\\.gcp\\.kubernetes\\.io/pre-shared-cert" = var.certificate_name
      "hub.image.name"                                                      = "${var.image_registry}/hub"
      "hub.image.tag"                                                       = var.image_tag
      "singleuser.image.name"                                               = "${var.image_registry}/notebook"
      "singleuser.image.tag"                                                = var.image_tag
      "prePuller.extraImages.notebook-gpu.name"                             = "${var.image_registry}/notebook-gpu"
      "prePuller.extraImages.notebook-gpu.tag"                              = var.image_tag
      "hub.serviceAccount.annotations.iam\\.gke\\.io/gcp-service-account"   = var.hub_service_account
      "hub.extraEnv.NBPLATFORM_SNAPSHOTS_URL"                               = "gs://${var.snapshots_bucket}"
      "hub.extraEnv.NBPLATFORM_RUNS_URL"                                    = "gs://${var.runs_bucket}"
      "singleuser.extraEnv.NBPLATFORM_SNAPSHOTS_URL"                        = "gs://${var.snapshots_bucket}"
      "singleuser.extraEnv.NBPLATFORM_RUNS_URL"                             = "gs://${var.runs_bucket}"
      "scheduling.userPlaceholder.replicas"                                 = tostring(var.user_placeholders)
      # Who may sign in after passing IAP (nbplatform.auth.selection reads these).
      "hub.extraEnv.NBPLATFORM_ALLOWED_DOMAINS" = join("\\,", var.hub_allowed_domains)
      "hub.extraEnv.NBPLATFORM_ADMIN_USERS"     = join("\\,", var.hub_admin_users)
    },
    # The IAP audience exists only after the Ingress made the backend service.
    var.iap_audience == null ? {} : {
      "hub.extraEnv.NBPLATFORM_IAP_AUDIENCE" = var.iap_audience
    },
  )

  # Without the audience the hub stops at start-up with an error naming
  # NBPLATFORM_IAP_AUDIENCE. The first install must still create the Ingress,
  # whose backend service gives the audience, so it does not wait for the hub.
  hub_ready_expected = var.iap_audience != null
}

resource "helm_release" "jupyterhub" {
  name             = "nbplatform"
  namespace        = var.namespace
  create_namespace = false
  repository       = "https://hub.jupyter.org/helm-chart/"
  chart            = "jupyterhub"
  version          = var.jupyterhub_chart_version
  values           = local.values_files
  timeout          = 900
  wait             = local.hub_ready_expected
  atomic           = local.hub_ready_expected
  cleanup_on_fail  = true

  dynamic "set" {
    for_each = local.hub_settings
    content {
      name  = set.key
      value = set.value
    }
  }

  depends_on = [kubernetes_secret_v1.mirrored]
}

resource "helm_release" "dask_operator" {
  name             = "dask-kubernetes-operator"
  namespace        = "dask-operator"
  create_namespace = true
  repository       = "https://helm.dask.org"
  chart            = "dask-kubernetes-operator"
  version          = var.dask_operator_chart_version
  timeout          = 600
  atomic           = true
}

# Kubernetes Secrets the hub reads, copied from Secret Manager. The values
# pass through Terraform state, which must therefore live in a bucket only
# platform admins can read (terraform/envs/*/backend.tf).
data "google_secret_manager_secret_version" "mirrored" {
  for_each = var.mirrored_secrets

  project = var.project_id
  secret  = each.value.secret_id
}

resource "kubernetes_secret_v1" "mirrored" {
  # One Kubernetes Secret per namespace and name, with one key per mirrored
  # Secret Manager secret.
  for_each = {
    for label, spec in var.mirrored_secrets : "${spec.namespace}/${spec.kubernetes_secret}" => label...
  }

  metadata {
    name      = split("/", each.key)[1]
    namespace = split("/", each.key)[0]
    labels = {
      "app.kubernetes.io/part-of"    = "nbplatform"
      "app.kubernetes.io/managed-by" = "terraform"
    }
  }

  data = {
    for label in each.value :
    var.mirrored_secrets[label].kubernetes_key => data.google_secret_manager_secret_version.mirrored[label].secret_data
  }
}
