import { Size, Testing } from 'cdk8s';
import { airflowIn, container, find, release } from '../helpers';

describe('DagProcessor', () => {
  test('its attributes: the Deployment, the ServiceAccount, replicas and resources', () => {
    const { chart, airflow } = airflowIn({ dagProcessor: { replicas: 2, resources: { memory: { request: Size.gibibytes(1), limit: Size.gibibytes(3) } } } });
    const processor = airflow.dagProcessor!;
    expect([processor.replicas, processor.deployment.name, processor.serviceAccount.name]).toEqual([2, 'airflow-dag-processor', 'airflow-dag-processor']);
    expect([processor.resources.requests?.memory?.value, processor.resources.limits?.memory?.value]).toEqual(['1Gi', '3Gi']);
    const deployment = find(Testing.synth(chart), 'Deployment', 'airflow-dag-processor');
    expect(deployment.spec.replicas).toBe(2);
    expect(container(deployment, 'dag-processor').livenessProbe.exec.command).toEqual(['airflow', 'jobs', 'check', '--job-type', 'DagProcessorJob', '--local']);
  });

  test('on Airflow 2 only when enabled', () => {
    expect(airflowIn(release('2.11.0')).airflow.dagProcessor).toBeUndefined();
    expect(airflowIn({ ...release('2.11.0'), dagProcessor: { enabled: true } }).airflow.dagProcessor?.replicas).toBe(1);
  });
});
