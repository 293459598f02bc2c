import { Testing } from 'cdk8s';
import { Executor } from '../../lib';
import { airflowIn, find, podTemplate } from '../helpers';

describe('PodWatcherRole', () => {
  test('its attributes: the Role and its binding to the triggerer, whose token is mounted', () => {
    const { chart, airflow } = airflowIn();
    const watcher = airflow.podWatcherRole!;
    expect([watcher.role.name, watcher.roleBinding.name]).toEqual(['airflow-pod-watcher', 'airflow-pod-watcher']);
    const manifests = Testing.synth(chart);
    expect(find(manifests, 'RoleBinding', 'airflow-pod-watcher').subjects)
      .toEqual([{ kind: 'ServiceAccount', name: airflow.triggerer.serviceAccount.name, namespace: 'airflow' }]);
    expect(podTemplate(find(manifests, 'StatefulSet', 'airflow-triggerer')).spec.automountServiceAccountToken).toBe(true);
  });

  test('with every executor where tasks may start pods, and never without', () => {
    for (const executor of [Executor.celery(), Executor.kubernetes(), Executor.celeryAndKubernetes(), Executor.local()]) {
      expect(airflowIn({ executor }).airflow.podWatcherRole).toBeDefined();
    }
    const { chart, airflow } = airflowIn({ kubernetesPodOperator: false });
    expect(airflow.podWatcherRole).toBeUndefined();
    expect(podTemplate(find(Testing.synth(chart), 'StatefulSet', 'airflow-triggerer')).spec.automountServiceAccountToken).toBe(false);
  });
});
