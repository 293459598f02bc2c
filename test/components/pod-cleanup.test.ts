import { Testing } from 'cdk8s';
import { Executor } from '../../lib';
import { airflowIn, find } from '../helpers';

describe('PodCleanup', () => {
  test('its attributes: the CronJob, its schedule, ServiceAccount, Role and RoleBinding', () => {
    const { chart, airflow } = airflowIn({ executor: Executor.kubernetes({ cleanup: { schedule: '0 * * * *' } }) });
    const cleanup = airflow.podCleanup!;
    expect([cleanup.schedule, cleanup.cronJob.name, cleanup.serviceAccount.name, cleanup.role.name, cleanup.roleBinding.name])
      .toEqual(['0 * * * *', 'airflow-cleanup', 'airflow-cleanup', 'airflow-cleanup', 'airflow-cleanup']);
    const manifests = Testing.synth(chart);
    expect(find(manifests, 'CronJob', 'airflow-cleanup').spec.schedule).toBe('0 * * * *');
    expect(find(manifests, 'RoleBinding', 'airflow-cleanup').subjects).toEqual([{ kind: 'ServiceAccount', name: 'airflow-cleanup', namespace: 'airflow' }]);
  });

  test('every 15 minutes by default', () => {
    expect(airflowIn({ executor: Executor.kubernetes() }).airflow.podCleanup!.schedule).toBe('*/15 * * * *');
  });
});
