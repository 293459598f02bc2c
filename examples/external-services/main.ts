// Airflow 3 that runs no data store of its own: PostgreSQL and Redis are services the platform
// already has, reached by name, with their passwords in Secrets the platform owns.
// `npm run synth` writes it to examples/external-services/dist/.
import { App } from 'cdk8s';
import { AirflowChart, CeleryBroker, Executor, MetadataDatabase, SecretKey } from '../../lib';
import { shippedDags } from '../dags';

export function externalServicesExample(app: App): AirflowChart {
  return new AirflowChart(app, 'airflow', {
    namespace: 'airflow',
    database: MetadataDatabase.externalPostgres({ host: 'postgres.databases.svc.cluster.local', database: 'airflow', user: 'airflow', sslMode: 'require' }),
    credentials: { databasePassword: SecretKey.of('airflow-postgres', 'password') },
    executor: Executor.celery({
      broker: CeleryBroker.externalRedis({ host: 'redis.databases.svc.cluster.local', password: SecretKey.of('airflow-redis', 'password') }),
      workers: { replicas: 2 },
    }),
    dags: shippedDags(),
  });
}

if (require.main === module) {
  const app = new App();
  externalServicesExample(app);
  app.synth();
}
