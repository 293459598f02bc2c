import * as kplus from 'cdk8s-plus-27';
import { Testing } from 'cdk8s';
import { airflowIn, find } from '../helpers';

describe('DatabaseCleanup', () => {
  test('its attributes: the CronJob, its schedule, retention, tables, resources and ServiceAccount', () => {
    const { chart, airflow } = airflowIn({
      housekeeping: { dbClean: { retentionDays: 30, schedule: '0 * * * *', tables: ['log'], resources: { cpu: { limit: kplus.Cpu.units(2) } } } },
    });
    const cleanup = airflow.databaseCleanup!;
    expect([cleanup.schedule, cleanup.retentionDays, cleanup.tables, cleanup.cronJob.name, cleanup.serviceAccount.name])
      .toEqual(['0 * * * *', 30, ['log'], 'airflow-db-clean', 'airflow-db-clean']);
    expect([cleanup.resources.limits?.cpu?.value, cleanup.resources.requests?.memory?.value]).toEqual(['2', '384Mi']);
    expect(find(Testing.synth(chart), 'CronJob', 'airflow-db-clean').spec.schedule).toBe('0 * * * *');
  });

  test('daily at 03:00 by default, and only when asked for', () => {
    expect(airflowIn({ housekeeping: { dbClean: { retentionDays: 90 } } }).airflow.databaseCleanup!.schedule).toBe('0 3 * * *');
    expect(airflowIn().airflow.databaseCleanup).toBeUndefined();
  });
});
