import { Testing } from 'cdk8s';
import { ContainerImage, Executor } from '../lib';
import { airflowIn, container, find, podTemplate, problemsOf } from './helpers';

test('a worker set runs its own image; the other workers and components keep the deployment\'s', () => {
  const { chart, airflow } = airflowIn();
  airflow.addWorkerSet('gpu', { queues: ['gpu'], image: ContainerImage.of('registry.example.com/airflow-gpu', '3.1.7-cuda12') });
  const manifests = Testing.synth(chart);
  const gpu = find(manifests, 'StatefulSet', 'airflow-worker-gpu');
  expect(container(gpu, 'worker').image).toBe('registry.example.com/airflow-gpu:3.1.7-cuda12');
  expect(container(gpu, 'wait-for-migrations', true).image).toBe('registry.example.com/airflow-gpu:3.1.7-cuda12');
  expect(container(find(manifests, 'StatefulSet', 'airflow-worker'), 'worker').image).toBe('apache/airflow:3.1.7');
  expect(podTemplate(gpu).spec.containers.map((c: { name: string }) => c.name)).toEqual(['worker', 'log-groomer']);
});

test('a worker image is checked like the deployment\'s', () => {
  expect(problemsOf({ executor: Executor.celery({ workers: { image: ContainerImage.of('airflow', 'latest') } }) })).toEqual([
    'executor.celery.workers.image: tag "latest" is not pinned; a moving tag makes the output mean different things on different days (got "airflow:latest"). Fix: pin a released tag of an image built on the deployment\'s Airflow release',
  ]);
});
