import { Testing } from 'cdk8s';
import { AirflowChart, PodSecurityLevel } from '../../lib';
import { Manifest } from '../helpers';

describe('AirflowChart', () => {
  test('its attributes: the Airflow construct and the Namespace object, first in the output', () => {
    const chart = new AirflowChart(Testing.app(), 'c', { namespace: 'data', name: 'etl', enforcePodSecurity: PodSecurityLevel.RESTRICTED });
    expect(chart.airflow.name).toBe('etl');
    expect(chart.airflow.namespace).toBe('data');
    expect(chart.namespaceObject?.name).toBe('data');
    const manifests = Testing.synth(chart);
    expect(manifests[0]).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'data',
        // No app.kubernetes.io/instance: pruning one release by that label must never delete the Namespace.
        labels: {
          'app.kubernetes.io/part-of': 'airflow',
          'app.kubernetes.io/managed-by': 'cdk8s',
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
        },
      },
    });
    expect(manifests.slice(1).every((m: Manifest) => m.metadata.namespace === 'data')).toBe(true);
  });

  test('enforces baseline by default, and can leave the Namespace out', () => {
    const chart = new AirflowChart(Testing.app(), 'c', { namespace: 'data' });
    expect(chart.namespaceObject?.metadata.getLabel('pod-security.kubernetes.io/enforce')).toBe('baseline');
    const without = new AirflowChart(Testing.app(), 'c', { namespace: 'data', createNamespace: false });
    expect(without.namespaceObject).toBeUndefined();
    expect(Testing.synth(without).filter((m: Manifest) => m.kind === 'Namespace')).toEqual([]);
  });

  test('the release\'s labels and annotations go on its Namespace too; the library\'s labels stay', () => {
    const chart = new AirflowChart(Testing.app(), 'c', {
      namespace: 'data', labels: { 'example.com/cost-centre': 'data' }, annotations: { 'example.com/owner': 'platform' },
    });
    const namespace = Testing.synth(chart)[0];
    expect(namespace.metadata.labels).toMatchObject({ 'example.com/cost-centre': 'data', 'pod-security.kubernetes.io/enforce': 'baseline' });
    expect(namespace.metadata.labels['app.kubernetes.io/instance']).toBeUndefined();
    expect(namespace.metadata.annotations).toEqual({ 'example.com/owner': 'platform' });
  });

  test('without a namespace it fails like Airflow does', () => {
    expect(() => new AirflowChart(Testing.app(), 'c', {} as never)).toThrow(/namespace: no namespace/);
  });
});
