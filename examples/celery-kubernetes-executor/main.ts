// Airflow 3 with two executors side by side: Celery workers take tasks by default, and a task
// that sets `executor="KubernetesExecutor"` runs in a pod of its own (dedicated nodes here).
// `npm run synth` writes it to examples/celery-kubernetes-executor/dist/.
import { App } from 'cdk8s';
import { AirflowChart, Executor } from '../../lib';
import { shippedDags } from '../dags';

export function celeryKubernetesExecutorExample(app: App): AirflowChart {
  return new AirflowChart(app, 'airflow', {
    namespace: 'airflow',
    executor: Executor.celeryAndKubernetes({
      celery: { workers: { replicas: 2 } },
      kubernetes: {
        workerPods: {
          nodeSelector: { 'example.com/pool': 'airflow-tasks' },
          tolerations: [{ key: 'example.com/pool', operator: 'Equal', value: 'airflow-tasks', effect: 'NoSchedule' }],
        },
        cleanup: { schedule: '*/30 * * * *' },
      },
    }),
    dags: shippedDags(),
  });
}

if (require.main === module) {
  const app = new App();
  celeryKubernetesExecutorExample(app);
  app.synth();
}
