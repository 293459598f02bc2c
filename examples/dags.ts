import { Duration } from 'cdk8s';
import { DagSource, IDagSource } from '../lib';

/** The walkthrough's public DAG repository, which every example pulls. */
export function exampleDags(): IDagSource {
  return DagSource.gitSync({
    repository: 'https://github.com/damavis/airflow-dags.git',
    ref: 'master',
    period: Duration.seconds(60),
  });
}
