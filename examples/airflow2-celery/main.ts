// Airflow 2.11 with the CeleryExecutor, for teams on their way to Airflow 3: the webserver
// instead of the API server, `[webserver]` options, and the optional standalone DAG processor
// switched on (it is how Airflow 3 always runs). `npm run synth` writes it to
// examples/airflow2-celery/dist/.
import { App } from 'cdk8s';
import { AirflowChart, AirflowVersion, Executor, airflowConfig } from '../../lib';
import { walkthroughDags } from '../dags';

export function airflow2CeleryExample(app: App): AirflowChart {
  return new AirflowChart(app, 'airflow', {
    namespace: 'airflow',
    version: AirflowVersion.V2_11_0,
    executor: Executor.celery({ workers: { replicas: 2 } }),
    dagProcessor: { enabled: true },
    config: airflowConfig({ webserver: { expose_config: false, instance_name: 'Airflow 2.11' } }),
    dags: walkthroughDags(),
  });
}

if (require.main === module) {
  const app = new App();
  airflow2CeleryExample(app);
  app.synth();
}
