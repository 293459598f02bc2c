import { Testing } from 'cdk8s';
import { Executor } from '../../lib';
import { airflowIn, find } from '../helpers';

describe('PodLauncherRole', () => {
  test('its attributes: the Role and its binding to the ServiceAccounts that start pods', () => {
    const { chart, airflow } = airflowIn({ executor: Executor.celeryAndKubernetes(), podLauncher: { allowExec: true } });
    const launcher = airflow.podLauncherRole!;
    expect([launcher.role.name, launcher.roleBinding.name]).toEqual(['airflow-pod-launcher', 'airflow-pod-launcher']);
    const manifests = Testing.synth(chart);
    expect(find(manifests, 'RoleBinding', 'airflow-pod-launcher').subjects.map((s: { name: string }) => s.name))
      .toEqual([airflow.scheduler.serviceAccount.name, airflow.workers!.serviceAccount.name, airflow.kubernetesWorkerPods!.serviceAccount.name]);
    expect(find(manifests, 'Role', 'airflow-pod-launcher').rules).toContainEqual({ apiGroups: [''], resources: ['pods/exec'], verbs: ['create', 'get'] });
  });
});
