import { Testing } from 'cdk8s';
import { Executor } from '../../lib';
import { airflowIn, container, find, podTemplate } from '../helpers';

describe('Scheduler', () => {
  test('its attributes: a Deployment and a ServiceAccount, replicas and resources', () => {
    const { chart, airflow } = airflowIn({ scheduler: { replicas: 2 } });
    const scheduler = airflow.scheduler;
    expect([scheduler.replicas, scheduler.deployment?.name, scheduler.serviceAccount.name]).toEqual([2, 'airflow-scheduler', 'airflow-scheduler']);
    expect([scheduler.statefulSet, scheduler.service]).toEqual([undefined, undefined]);
    expect(scheduler.resources.limits?.memory?.value).toBe('2Gi');
    const deployment = find(Testing.synth(chart), 'Deployment', 'airflow-scheduler');
    expect(deployment.spec.replicas).toBe(2);
    expect(container(deployment, 'scheduler').args).toEqual(['scheduler']);
  });

  test('running tasks itself (LocalExecutor) it is the StatefulSet airflow-local-scheduler behind a headless Service', () => {
    const { airflow } = airflowIn({ executor: Executor.local() });
    expect([airflow.scheduler.deployment, airflow.scheduler.statefulSet?.name, airflow.scheduler.service?.name, airflow.scheduler.serviceAccount.name])
      .toEqual([undefined, 'airflow-local-scheduler', 'airflow-local-scheduler', 'airflow-local-scheduler']);
  });

  test('it has the broker settings of a Celery executor and nothing of the others', () => {
    const env = (executor: Executor) =>
      container(find(Testing.synth(airflowIn({ executor }).chart), 'Deployment', 'airflow-scheduler'), 'scheduler').env.map((e: { name: string }) => e.name);
    expect(env(Executor.celery())).toContain('AIRFLOW__CELERY__BROKER_URL');
    expect(env(Executor.kubernetes())).not.toContain('AIRFLOW__CELERY__BROKER_URL');
  });

  test('with a KubernetesExecutor it mounts the pod template and may start pods', () => {
    const scheduler = find(Testing.synth(airflowIn({ executor: Executor.kubernetes() }).chart), 'Deployment', 'airflow-scheduler');
    expect(podTemplate(scheduler).spec.volumes.map((v: { name: string }) => v.name)).toContain('pod-template');
    expect(podTemplate(scheduler).spec.automountServiceAccountToken).toBe(true);
  });
});
