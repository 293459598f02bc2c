import { Size, Testing } from 'cdk8s';
import { MetadataDatabase } from '../../lib';
import { airflowIn, find } from '../helpers';

describe('PostgreSql', () => {
  test('its attributes: StatefulSet, its standalone claim, Service on 5432, ServiceAccount, storage and image', () => {
    const { chart, airflow } = airflowIn({ database: MetadataDatabase.bundledPostgres({ storage: Size.gibibytes(20) }) });
    const postgresql = airflow.postgresql!;
    expect([postgresql.serviceName, postgresql.port, postgresql.storage.toGibibytes(), postgresql.image.reference])
      .toEqual(['airflow-postgresql', 5432, 20, 'postgres:17.6']);
    expect([postgresql.statefulSet.name, postgresql.service.name, postgresql.serviceAccount.name])
      .toEqual(['airflow-postgresql', 'airflow-postgresql', 'airflow-postgresql']);
    expect(postgresql.resources.limits?.memory?.value).toBe('1Gi');
    expect(postgresql.dataClaim.name).toBe('airflow-postgresql-data');
    const claim = find(Testing.synth(chart), 'PersistentVolumeClaim', 'airflow-postgresql-data');
    expect(claim.spec.resources.requests.storage).toBe('20Gi');
  });

  test('the default volume is 8Gi', () => {
    expect(airflowIn().airflow.postgresql!.storage.toGibibytes()).toBe(8);
  });
});
