import { Testing } from 'cdk8s';
import { airflowIn, container, ofKind, podTemplate } from '../helpers';

describe('MigrateDatabaseJob', () => {
  test('its attributes: the Job, named with a hash of its spec at synth, and its ServiceAccount', () => {
    const { chart, airflow } = airflowIn();
    const migration = airflow.migrateDatabaseJob;
    expect([migration.job.name, migration.serviceAccount.name]).toEqual(['airflow-migrate-database', 'airflow-migrate-database']);
    const job = ofKind(Testing.synth(chart), 'Job').find((j) => j.metadata.name.startsWith('airflow-migrate-database-'))!;
    expect(job.metadata.name).toMatch(/^airflow-migrate-database-[0-9a-f]{10}$/);
    expect(container(job, 'migrate-database').args).toEqual(['db', 'migrate']);
    expect(podTemplate(job).spec.serviceAccountName).toBe(migration.serviceAccount.name);
  });
});
