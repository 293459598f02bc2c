import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Executor } from '../../lib';
import { airflowIn, container, find, podTemplate, release } from '../helpers';

describe('UiServer', () => {
  test('its attributes are the API server Deployment, Service and ServiceAccount', () => {
    const { chart, airflow } = airflowIn({ apiServer: { replicas: 2 } });
    const server = airflow.uiServer;
    expect([server.serviceName, server.port, server.replicas]).toEqual(['airflow-api-server', 8080, 2]);
    expect([server.deployment.name, server.service.name, server.serviceAccount.name]).toEqual(['airflow-api-server', 'airflow-api-server', 'airflow-api-server']);
    expect(server.resources.requests?.cpu?.value).toBe('250m');
    const manifests = Testing.synth(chart);
    expect(find(manifests, 'Deployment', 'airflow-api-server').spec.replicas).toBe(2);
    expect(find(manifests, 'Service', 'airflow-api-server').spec.ports[0].port).toBe(server.port);
  });

  test('on Airflow 2 it is the webserver', () => {
    const { chart, airflow } = airflowIn({ ...release('2.11.0'), webserver: { replicas: 3 } });
    expect([airflow.uiServer.serviceName, airflow.uiServer.replicas]).toEqual(['airflow-webserver', 3]);
    expect(container(find(Testing.synth(chart), 'Deployment', 'airflow-webserver'), 'webserver').args).toEqual(['webserver']);
  });

  test('resources replace the default value by value, in canonical form', () => {
    const { airflow } = airflowIn({ apiServer: { resources: { memory: { request: Size.gibibytes(2), limit: Size.gibibytes(4) } } } });
    expect(airflow.uiServer.resources.requests?.memory?.value).toBe('2Gi');
    expect(airflow.uiServer.resources.limits?.cpu?.value).toBe('2');
    const cpu = airflowIn({ apiServer: { resources: { cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.units(1) } } } }).airflow;
    expect([cpu.uiServer.resources.requests?.cpu?.value, cpu.uiServer.resources.limits?.cpu?.value]).toEqual(['250m', '1']);
  });

  test('it gets a token only where it reads task pods\' logs (KubernetesExecutor)', () => {
    const token = (props = {}) => podTemplate(find(Testing.synth(airflowIn(props).chart), 'Deployment', 'airflow-api-server')).spec.automountServiceAccountToken;
    expect(token()).toBe(false);
    expect(token({ executor: Executor.kubernetes() })).toBe(true);
  });
});
