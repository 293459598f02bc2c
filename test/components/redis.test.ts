import { Testing } from 'cdk8s';
import { ContainerImage, Executor } from '../../lib';
import { airflowIn, container, find } from '../helpers';

describe('Redis', () => {
  test('its attributes: StatefulSet, Service on 6379, ServiceAccount and the pinned image', () => {
    const { chart, airflow } = airflowIn({ executor: Executor.celery({ redis: { image: ContainerImage.of('redis', '7.4.4') } }) });
    const redis = airflow.redis!;
    expect([redis.serviceName, redis.port, redis.image.reference]).toEqual(['airflow-redis', 6379, 'redis:7.4.4']);
    expect([redis.statefulSet.name, redis.service.name, redis.serviceAccount.name]).toEqual(['airflow-redis', 'airflow-redis', 'airflow-redis']);
    expect(redis.resources.requests?.memory?.value).toBe('64Mi');
    expect(container(find(Testing.synth(chart), 'StatefulSet', 'airflow-redis'), 'redis').image).toBe('redis:7.4.4');
  });

  test('the default image is redis 7.4.3', () => {
    expect(airflowIn().airflow.redis!.image.reference).toBe('redis:7.4.3');
  });
});
