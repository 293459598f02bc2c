import { App } from 'cdk8s';
import { AirflowChart, Executor } from '../lib';
import { shippedDags } from './dags';

/**
 * The reference deployment: Airflow 3 with the CeleryExecutor in namespace `airflow` (API
 * server, scheduler, DAG processor, triggerer, two Celery workers fed through Redis, Flower,
 * PostgreSQL on an 8Gi volume), the walkthrough's two pipelines from the repository's `dags/`
 * folder, and workers allowed to run tasks as pods through KubernetesPodOperator.
 */
export function referenceDeployment(app: App): AirflowChart {
  return new AirflowChart(app, 'airflow', {
    namespace: 'airflow',
    name: 'airflow',
    executor: Executor.celery({ workers: { replicas: 2 } }),
    dags: shippedDags(),
  });
}
