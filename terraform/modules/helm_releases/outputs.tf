output "jupyterhub_release" {
  description = "Name, namespace and chart version of the hub release."
  value = {
    name      = helm_release.jupyterhub.name
    namespace = helm_release.jupyterhub.namespace
    version   = helm_release.jupyterhub.version
  }
}

output "dask_operator_release" {
  description = "Name, namespace and chart version of the dask-kubernetes operator release."
  value = {
    name      = helm_release.dask_operator.name
    namespace = helm_release.dask_operator.namespace
    version   = helm_release.dask_operator.version
  }
}
