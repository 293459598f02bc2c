import { Testing } from 'cdk8s';
import { Executor } from '../../lib';
import { airflowIn, find } from '../helpers';

describe('PodLogReaderRole', () => {
  test('its attributes: the Role and its binding to the UI server', () => {
    const { chart, airflow } = airflowIn({ executor: Executor.kubernetes() });
    const reader = airflow.podLogReaderRole!;
    expect([reader.role.name, reader.roleBinding.name]).toEqual(['airflow-pod-log-reader', 'airflow-pod-log-reader']);
    expect(find(Testing.synth(chart), 'RoleBinding', 'airflow-pod-log-reader').subjects)
      .toEqual([{ kind: 'ServiceAccount', name: airflow.uiServer.serviceAccount.name, namespace: 'airflow' }]);
  });

  test('only with a KubernetesExecutor', () => {
    expect(airflowIn().airflow.podLogReaderRole).toBeUndefined();
  });
});
