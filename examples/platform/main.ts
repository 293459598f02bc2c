// What a platform team's cluster asks for, in one deployment: Airflow 3 with Celery and
// Kubernetes executors, a private image and its pull secret, cloud identities on the
// ServiceAccounts (IRSA), two schedulers and two API servers with disruption budgets and spread,
// the UI behind a Gateway API HTTPRoute, PostgreSQL from a URL the platform keeps in a Secret,
// an external Redis over TLS, FAB with OAuth, connections from Secrets.
// `npm run synth` writes it to examples/platform/dist/.
import { App } from 'cdk8s';
import {
  AirflowChart, AirflowVersion, AuthManager, CeleryBroker, ConfigFile, ContainerImage, Executor, MetadataDatabase, SecretKey,
} from '../../lib';
import { shippedDags } from '../dags';

/** FAB's login through an OAuth provider: the client secret is read from the environment at start-up. */
const WEBSERVER_CONFIG = `from flask_appbuilder.security.manager import AUTH_OAUTH
import os

AUTH_TYPE = AUTH_OAUTH
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Viewer"
OAUTH_PROVIDERS = [{
    "name": "keycloak",
    "icon": "fa-key",
    "token_key": "access_token",
    "remote_app": {
        "client_id": "airflow",
        "client_secret": os.environ.get("OAUTH_CLIENT_SECRET", ""),
        "server_metadata_url": "https://sso.example.com/realms/data/.well-known/openid-configuration",
        "client_kwargs": {"scope": "openid email profile"},
    },
}]
`;

export function platformExample(app: App): AirflowChart {
  return new AirflowChart(app, 'airflow', {
    namespace: 'data-airflow',
    name: 'airflow',
    version: AirflowVersion.V3_1_7,
    image: ContainerImage.of('registry.example.com/data/airflow', '3.1.7'),
    pods: {
      imagePullSecrets: ['registry-credentials'],
      serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/data-airflow' },
    },
    labels: { 'example.com/cost-centre': 'data-platform' },
    database: MetadataDatabase.fromSecret({ url: SecretKey.of('airflow-database', 'url') }),
    executor: Executor.celeryAndKubernetes({
      celery: {
        broker: CeleryBroker.externalRedis({
          host: 'redis.data.svc.cluster.local',
          password: SecretKey.of('airflow-redis', 'password'),
          // The CA as cert-manager leaves it, in the ca.crt key of the server's TLS Secret.
          tls: { caCertificate: ConfigFile.fromSecret(SecretKey.of('redis-tls', 'ca.crt')) },
        }),
        workers: { replicas: 3 },
      },
    }),
    scheduler: { replicas: 2 },
    apiServer: {
      replicas: 2,
      httpRoute: { parentRefs: [{ name: 'public', namespace: 'gateways' }], hostnames: ['airflow.example.com'] },
      // The OAuth client secret that webserver_config.py reads, from a Secret of the platform's.
      pod: { env: [{ name: 'OAUTH_CLIENT_SECRET', valueFrom: { secretKeyRef: { name: 'airflow-oauth', key: 'client-secret' } } }] },
    },
    triggerer: { replicas: 2 },
    authManager: AuthManager.fab({ createAdminUser: false, webserverConfig: ConfigFile.fromString(WEBSERVER_CONFIG) }),
    connections: {
      warehouse: SecretKey.of('airflow-connections', 'warehouse'),
      s3_logs: SecretKey.of('airflow-connections', 's3-logs'),
    },
    dags: shippedDags(),
  });
}

if (require.main === module) {
  const app = new App();
  platformExample(app);
  app.synth();
}
