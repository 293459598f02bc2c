import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Executor } from '../../lib';
import { airflowIn, find, podTemplateFile } from '../helpers';

describe('KubernetesWorkerPods', () => {
  const resources = { cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.units(1) }, memory: { request: Size.mebibytes(512), limit: Size.gibibytes(1) } };
  const { chart, airflow } = airflowIn({ executor: Executor.kubernetes({ workerPods: { resources } }) });
  const workerPods = airflow.kubernetesWorkerPods!;
  const manifests = Testing.synth(chart);

  test('its attributes: the pod template ConfigMap, the task pods\' ServiceAccount and resources', () => {
    expect([workerPods.configMap.name, workerPods.serviceAccount.name]).toEqual(['airflow-pod-template', 'airflow-kubernetes-worker']);
    expect([workerPods.resources.requests?.cpu?.value, workerPods.resources.limits?.memory?.value]).toEqual(['250m', '1Gi']);
    const pod = podTemplateFile(manifests);
    expect(pod.spec.serviceAccountName).toBe(workerPods.serviceAccount.name);
    expect(pod.spec.containers[0].resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } });
  });

  test('the scheduler mounts its ConfigMap', () => {
    expect(find(manifests, 'Deployment', 'airflow-scheduler').spec.template.spec.volumes)
      .toContainEqual(expect.objectContaining({ configMap: expect.objectContaining({ name: workerPods.configMap.name }) }));
  });
});
