import { Testing } from 'cdk8s';
import { Executor } from '../../lib';
import { Manifest, airflowIn, container, find } from '../helpers';

describe('Flower', () => {
  test('its attributes: Deployment, Service on 5555, ServiceAccount and the basic-auth user', () => {
    const { chart, airflow } = airflowIn({ executor: Executor.celery({ flower: { username: 'ops' } }) });
    const flower = airflow.flower!;
    expect([flower.serviceName, flower.port, flower.username]).toEqual(['airflow-flower', 5555, 'ops']);
    expect([flower.deployment.name, flower.service.name, flower.serviceAccount.name]).toEqual(['airflow-flower', 'airflow-flower', 'airflow-flower']);
    expect(flower.resources.limits?.cpu?.value).toBe('500m');
    const env: Manifest[] = container(find(Testing.synth(chart), 'Deployment', 'airflow-flower'), 'flower').env;
    expect(env).toContainEqual({ name: 'AIRFLOW__CELERY__FLOWER_BASIC_AUTH', value: 'ops:$(AIRFLOW_FLOWER_PASSWORD)' });
  });

  test('the default user is admin', () => {
    expect(airflowIn().airflow.flower!.username).toBe('admin');
  });
});
