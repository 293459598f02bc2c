// Airflow 3 with the LocalExecutor: the scheduler runs tasks as its own processes, so it gets
// the DAG files, more resources and a log server the UI reads live task logs from.
// `npm run synth` writes it to examples/local-executor/dist/.
import { App, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { AirflowChart, Executor, airflowConfig } from '../../lib';
import { shippedDags } from '../dags';

export function localExecutorExample(app: App): AirflowChart {
  return new AirflowChart(app, 'airflow', {
    namespace: 'airflow',
    executor: Executor.local(),
    scheduler: {
      resources: {
        cpu: { request: kplus.Cpu.units(1), limit: kplus.Cpu.units(2) },
        memory: { request: Size.gibibytes(2), limit: Size.gibibytes(4) },
      },
    },
    config: airflowConfig({ core: { parallelism: 8 } }),
    dags: shippedDags(),
  });
}

if (require.main === module) {
  const app = new App();
  localExecutorExample(app);
  app.synth();
}
