import { Testing } from 'cdk8s';
import { airflowIn, container, find } from '../helpers';

describe('Triggerer', () => {
  test('its attributes: a StatefulSet behind a headless Service for its log server', () => {
    const { chart, airflow } = airflowIn({ triggerer: { replicas: 2 } });
    const triggerer = airflow.triggerer;
    expect([triggerer.replicas, triggerer.statefulSet.name, triggerer.service.name, triggerer.serviceAccount.name])
      .toEqual([2, 'airflow-triggerer', 'airflow-triggerer', 'airflow-triggerer']);
    expect(triggerer.resources.requests?.cpu?.value).toBe('250m');
    const manifests = Testing.synth(chart);
    expect(find(manifests, 'Service', 'airflow-triggerer').spec.clusterIP).toBe('None');
    expect(container(find(manifests, 'StatefulSet', 'airflow-triggerer'), 'triggerer').ports).toEqual([{ name: 'triggerer-logs', containerPort: 8794, protocol: 'TCP' }]);
  });
});
