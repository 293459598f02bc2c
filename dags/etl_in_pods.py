"""ETL steps run as their own Kubernetes pods, started by KubernetesPodOperator.

Airflow 3 version of the walkthrough's `etl_dag` (damavis/airflow-dags, etl_dag_celery.py):
each step is a container of its own, so it can use any image and any libraries without
touching the Airflow image. A Celery worker only starts the pod, follows it and streams its log.

Needs: the cncf.kubernetes provider (part of the apache/airflow image) and a worker
ServiceAccount allowed to create, watch, read the logs of and delete pods in its namespace.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from kubernetes.client import models as k8s

from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator
from airflow.sdk import DAG

# Images pinned to a tag, so a re-run starts the same software.
PYTHON_IMAGE = "python:3.12-slim"
BUSYBOX_IMAGE = "busybox:1.37"

# The extract/transform step: a stand-in for reading a source and aggregating it (here: medals
# per country of a few Winter Olympics results, inline, so the pod needs no network access).
EXTRACT_TRANSFORM = """
import collections, csv, io, os
rows = csv.DictReader(io.StringIO('''country,event,medal
NOR,biathlon,Gold
NOR,cross-country,Silver
GER,luge,Gold
CAN,pairs,Gold
GER,pairs,Bronze
NOR,pairs,Silver
'''))
counts = collections.Counter((r['country'], r['medal']) for r in rows)
print('run', os.environ['RUN_ID'])
for (country, medal), n in sorted(counts.items()):
    print(country, medal, n)
"""


def pod_step(task_id: str, image: str, cmds: list[str]) -> KubernetesPodOperator:
    """One ETL step as a pod that passes the Pod Security Standards "restricted" profile."""
    return KubernetesPodOperator(
        task_id=task_id,
        image=image,
        image_pull_policy="IfNotPresent",
        cmds=cmds,
        # Templated: the pod learns which DAG run it belongs to.
        env_vars={"RUN_ID": "{{ run_id }}"},
        # No namespace: the provider falls back to the namespace in the worker's ServiceAccount
        # token mount, i.e. the pods start next to the release, whatever it is called.
        in_cluster=True,
        # The step never calls the Kubernetes API: no token in its pod.
        automount_service_account_token=False,
        security_context=k8s.V1PodSecurityContext(
            run_as_non_root=True,
            run_as_user=65534,  # "nobody": a numeric uid, as the images' default user is root
            run_as_group=65534,
            seccomp_profile=k8s.V1SeccompProfile(type="RuntimeDefault"),
        ),
        container_security_context=k8s.V1SecurityContext(
            allow_privilege_escalation=False,
            capabilities=k8s.V1Capabilities(drop=["ALL"]),
            read_only_root_filesystem=True,
        ),
        container_resources=k8s.V1ResourceRequirements(
            requests={"cpu": "50m", "memory": "64Mi"},
            limits={"cpu": "500m", "memory": "128Mi"},
        ),
        # Stream the container's output into the task log, then remove the pod whatever the outcome.
        get_logs=True,
        on_finish_action="delete_pod",
        # Followed by the worker, which holds the pod-launch permissions (deferring would move
        # the watching to the triggerer). No do_xcom_push: reading XCom from a pod needs pods/exec.
        deferrable=False,
    )


with DAG(
    dag_id="etl_in_pods",
    description="ETL steps as Kubernetes pods (KubernetesPodOperator)",
    # Run on demand, as the original; set a cron expression or preset to run it regularly.
    schedule=None,
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    catchup=False,
    default_args={"retries": 1, "retry_delay": timedelta(seconds=30)},
    tags=["example", "etl", "kubernetes-pod-operator"],
):
    extract_transform = pod_step("extract_transform", PYTHON_IMAGE, ["python", "-c", EXTRACT_TRANSFORM])
    load = pod_step(
        "load",
        BUSYBOX_IMAGE,
        ["sh", "-c", 'echo "run $RUN_ID: this is where the result would be exported to a data warehouse"'],
    )

    extract_transform >> load
