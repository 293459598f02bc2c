"""ETL steps run as Python and Bash tasks on the Airflow workers (Celery in the reference deployment).

Airflow 3 version of the walkthrough's `etl_dag_for_kubernetes` (damavis/airflow-dags,
etl_dag_for_kubernetes.py): extract, transform and load written with the TaskFlow API, each
step handing its (small) result to the next through XCom, and a Bash step reporting the run.
Everything used here ships with the apache/airflow image: no extra packages, no network access.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import dag, task

# A stand-in for the source the original read over HTTP (Winter Olympics medals).
MEDALS_CSV = """country,event,medal
NOR,biathlon,Gold
NOR,cross-country,Silver
GER,luge,Gold
CAN,pairs,Gold
GER,pairs,Bronze
NOR,pairs,Silver
"""


@dag(
    # Run on demand, as the original; set a cron expression or preset to run it regularly.
    schedule=None,
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    catchup=False,
    default_args={"retries": 1, "retry_delay": timedelta(seconds=30)},
    tags=["example", "etl", "taskflow"],
)
def etl_on_workers():
    """Extract, transform and load on the workers; a Bash task reports what was loaded."""

    @task
    def extract() -> list[dict[str, str]]:
        # Parsed inside the task, not at import: the DAG processor re-reads this file often.
        import csv
        import io

        return list(csv.DictReader(io.StringIO(MEDALS_CSV)))

    @task
    def transform(rows: list[dict[str, str]]) -> dict[str, int]:
        # Medals per country: XCom values are JSON, hence string keys.
        counts: dict[str, int] = {}
        for row in rows:
            counts[row["country"]] = counts.get(row["country"], 0) + 1
        return counts

    @task
    def load(counts: dict[str, int]) -> int:
        for country, medals in sorted(counts.items()):
            print(f"{country}: {medals} medal(s)")
        print("This is where the result would be exported to a data warehouse.")
        return len(counts)

    # Jinja: run_id and ti are Airflow 3 context keys (execution_date is gone).
    report = BashOperator(
        task_id="report",
        bash_command="echo \"run {{ run_id }}: {{ ti.xcom_pull(task_ids='load') }} countries loaded\"",
    )

    load(transform(extract())) >> report


etl_on_workers()
