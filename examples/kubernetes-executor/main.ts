// Airflow 3 with the KubernetesExecutor: every task runs in a pod of its own, started by the
// scheduler from the pod template this library renders. No broker, no standing workers.
// `npm run synth` writes it to examples/kubernetes-executor/dist/.
import { App, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { AirflowChart, Executor } from '../../lib';
import { shippedDags } from '../dags';

export function kubernetesExecutorExample(app: App): AirflowChart {
  return new AirflowChart(app, 'airflow', {
    namespace: 'airflow',
    executor: Executor.kubernetes({
      workerPods: {
        resources: {
          cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.units(1) },
          memory: { request: Size.mebibytes(512), limit: Size.gibibytes(1) },
        },
        nodeSelector: { 'kubernetes.io/os': 'linux' },
      },
    }),
    dags: shippedDags(),
  });
}

if (require.main === module) {
  const app = new App();
  kubernetesExecutorExample(app);
  app.synth();
}
