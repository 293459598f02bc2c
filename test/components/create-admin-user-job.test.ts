import { Testing } from 'cdk8s';
import { AuthManager } from '../../lib';
import { airflowIn, container, ofKind } from '../helpers';

describe('CreateAdminUserJob', () => {
  test('its attributes: the Job, named with a hash of its spec at synth, and its ServiceAccount', () => {
    const { chart, airflow } = airflowIn({ authManager: AuthManager.fab({ adminUser: { username: 'root', email: 'root@example.org' } }) });
    const createUser = airflow.createAdminUserJob!;
    expect([createUser.job.name, createUser.serviceAccount.name]).toEqual(['airflow-create-admin-user', 'airflow-create-admin-user']);
    const job = ofKind(Testing.synth(chart), 'Job').find((j) => j.metadata.name.startsWith('airflow-create-admin-user-'))!;
    const args: string[] = container(job, 'create-admin-user').args;
    // One `--option=value` argument each: argparse never reads a value as an option.
    expect(args.slice(0, 3)).toEqual(['users', 'create', '--username=root']);
    expect(args).toContain('--email=root@example.org');
    expect(args.filter((a) => a.startsWith('--') && !a.includes('='))).toEqual([]);
    expect(args).toContain('--password=$(AIRFLOW_ADMIN_PASSWORD)');
    expect(container(job, 'wait-for-migrations', true)).toBeDefined();
  });
});
