import { App, Duration } from 'cdk8s';
import { AirflowChart, DagSource, Executor } from '../lib';

/**
 * The reference deployment: Airflow 3 with the CeleryExecutor in namespace `airflow` (API
 * server, scheduler, DAG processor, triggerer, two Celery workers fed through Redis, Flower,
 * PostgreSQL on an 8Gi volume), DAGs pulled from the walkthrough's Git repository, and workers
 * allowed to run tasks as pods through KubernetesPodOperator.
 */
export function referenceDeployment(app: App): AirflowChart {
  return new AirflowChart(app, 'airflow', {
    namespace: 'airflow',
    name: 'airflow',
    executor: Executor.celery({ workers: { replicas: 2 } }),
    dags: DagSource.gitSync({
      repository: 'https://github.com/damavis/airflow-dags.git',
      ref: 'master',
      period: Duration.seconds(60),
    }),
  });
}
