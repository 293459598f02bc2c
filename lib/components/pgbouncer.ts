import type { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { AirflowContext, PORTS } from '../context';
import { PGBOUNCER_COMPONENT, PGBOUNCER_DEFAULTS, PgBouncerOptions } from '../database/pgbouncer';
import { DEFAULT_IMAGES, DEFAULT_RESOURCES } from '../defaults';
import type { ContainerImage } from '../image';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { componentServiceMonitor } from '../metrics/service-monitor';
import { EvictionClass } from '../pod/eviction';
import { renderResources } from '../pod/resources';
import { secretEnv } from '../pod/secret-env';
import { bareHost } from '../validation/host';
import { disruptionBudget, spreadReplicas } from './availability';
import { componentDeployment, componentService, componentServiceAccount, containerPort, dataStorePodTemplate, servicePort } from './common';

export interface PgBouncerProps extends PgBouncerOptions {
  readonly context: AirflowContext;
  /** The PostgreSQL server PgBouncer connects to. */
  readonly server: { readonly host: string; readonly port: number; readonly database: string; readonly user: string; readonly sslMode?: string };
}

/** edoburu/pgbouncer's `postgres` user (Alpine's uid and gid 70). */
const PGBOUNCER_UID = 70;
const CONFIG_DIR = '/etc/pgbouncer';
/** The files edoburu/pgbouncer's entrypoint reads in CONFIG_DIR, and writes when they are missing. */
const CONFIG_FILES = ['pgbouncer.ini', 'userlist.txt'];
/** The exporter sidecar's container, container port and Service port name. */
const EXPORTER_CONTAINER = 'metrics-exporter';
const METRICS_PORT_NAME = 'metrics';
/** The variable the exporter's connection string expands (`$(VAR)`): it must come first. */
const EXPORTER_PASSWORD_ENV = 'PGBOUNCER_EXPORTER_PASSWORD';

/** A value of a libpq key/value connection string, single-quoted (libpq's rule: `\` escapes `'` and `\`). */
function quoted(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/**
 * PgBouncer in transaction pooling mode between Airflow's pods and PostgreSQL. Its configuration
 * holds no secret in the output: the image's entrypoint writes `pgbouncer.ini` and `userlist.txt`
 * into a memory-backed emptyDir at start, from `DB_*` variables whose password comes from the
 * credentials Secret (`secretKeyRef`), or both come from a Secret of the user's (`configSecret`).
 */
export class PgBouncer extends Construct {
  /** @internal */
  public static _create(scope: Construct, id: string, props: PgBouncerProps): PgBouncer {
    return new PgBouncer(scope, id, props);
  }

  public readonly serviceName: string;
  public readonly port: number = PORTS.pgbouncer;
  public readonly image: ContainerImage;
  public readonly replicas: number;
  public readonly resources: k8s.ResourceRequirements;
  public readonly deployment: k8s.KubeDeployment;
  public readonly service: k8s.KubeService;
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** With two replicas or more (and `podDisruptionBudgets`). */
  public readonly disruptionBudget?: k8s.KubePodDisruptionBudget;
  /** With `metrics`: the exporter sidecar's port (`metrics`, on the pods and the Service). */
  public readonly metricsPort?: number;
  /** With `metrics.serviceMonitor`: the Prometheus Operator ServiceMonitor, named like the Service. */
  public readonly serviceMonitor?: ApiObject;

  private constructor(scope: Construct, id: string, props: PgBouncerProps) {
    super(scope, id);
    const { context, server } = props;
    this.image = props.image ?? DEFAULT_IMAGES.pgbouncer;
    this.replicas = props.replicas ?? PGBOUNCER_DEFAULTS.replicas;
    this.resources = renderResources(DEFAULT_RESOURCES.pgbouncer, props.resources);
    this.serviceAccount = componentServiceAccount(this, context, PGBOUNCER_COMPONENT, props.pod);
    const metrics = props.metrics;
    this.metricsPort = metrics !== undefined ? PORTS.pgbouncerMetrics : undefined;
    this.service = componentService(this, context, PGBOUNCER_COMPONENT, [
      servicePort(PGBOUNCER_COMPONENT, PORTS.pgbouncer),
      ...(metrics !== undefined ? [servicePort(METRICS_PORT_NAME, PORTS.pgbouncerMetrics)] : []),
    ]);
    const probe = (periodSeconds: number): k8s.Probe => ({
      tcpSocket: { port: k8s.IntOrString.fromString(PGBOUNCER_COMPONENT) },
      periodSeconds,
      timeoutSeconds: 5,
      failureThreshold: 3,
    });
    // The names edoburu/pgbouncer's entrypoint.sh reads (v1.25.1-p0): the [databases] entry
    // `<DB_NAME> = host=<DB_HOST> port=<DB_PORT>`, the user list from DB_USER and DB_PASSWORD.
    // scram-sha-256 keeps the password itself in userlist.txt (in memory, below): PgBouncer needs
    // it to log in to a server that asks for SCRAM, PostgreSQL's default since 14.
    // With a config Secret of the user's, nothing: the entrypoint finds both files and writes nothing.
    const env: k8s.EnvVar[] = props.configSecret !== undefined ? [] : [
      { name: 'DB_HOST', value: bareHost(server.host) },
      { name: 'DB_PORT', value: String(server.port) },
      { name: 'DB_NAME', value: server.database },
      { name: 'DB_USER', value: server.user },
      secretEnv('DB_PASSWORD', context.credentials.databasePassword),
      { name: 'AUTH_TYPE', value: 'scram-sha-256' },
      { name: 'POOL_MODE', value: 'transaction' },
      { name: 'LISTEN_PORT', value: String(PORTS.pgbouncer) },
      { name: 'DEFAULT_POOL_SIZE', value: String(props.poolSize ?? PGBOUNCER_DEFAULTS.poolSize) },
      { name: 'MAX_CLIENT_CONN', value: String(props.maxClientConnections ?? PGBOUNCER_DEFAULTS.maxClientConnections) },
      // The official chart's choice (chart/templates/_helpers.yaml "pgbouncer_config"): psycopg sends it.
      { name: 'IGNORE_STARTUP_PARAMETERS', value: 'extra_float_digits' },
      ...(server.sslMode !== undefined ? [{ name: 'SERVER_TLS_SSLMODE', value: server.sslMode }] : []),
      // entrypoint.sh writes `stats_users = ${STATS_USERS}` when set (`admin_users` defaults to
      // postgres): the exporter's user may run the console's SHOW commands. It is DB_USER, the one
      // user in userlist.txt, so the exporter logs in with the same password.
      ...(metrics !== undefined ? [{ name: 'STATS_USERS', value: server.user }] : []),
    ];
    const container: k8s.Container = {
      name: PGBOUNCER_COMPONENT,
      image: this.image.reference,
      imagePullPolicy: this.image.pullPolicy,
      env: env.length > 0 ? env : undefined,
      ports: [containerPort(PGBOUNCER_COMPONENT, PORTS.pgbouncer)],
      resources: this.resources,
      livenessProbe: probe(15),
      readinessProbe: probe(5),
      volumeMounts: [{ name: 'config', mountPath: CONFIG_DIR }],
    };
    // Memory-backed: userlist.txt holds the password and never reaches the node's disk. Without
    // UNIX_SOCKET_DIR the entrypoint writes an empty `unix_socket_dir`: no socket, nothing else written.
    // A config Secret of the user's: both keys by name, so that a missing one fails the mount
    // (the entrypoint would otherwise try to create userlist.txt on a read-only volume), readable
    // by the group PgBouncer runs in (fsGroup) and no one else.
    const volumes: k8s.Volume[] = [props.configSecret === undefined
      ? { name: 'config', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('1Mi') } }
      : { name: 'config', secret: { secretName: props.configSecret, defaultMode: 0o440, items: CONFIG_FILES.map((key) => ({ key, path: key })) } }];
    const identity = { user: PGBOUNCER_UID, group: PGBOUNCER_UID, fsGroup: PGBOUNCER_UID };
    // For the NetworkPolicies, before the data-store registration (the first one counts): it
    // serves 6543 to Airflow's pods and connects to PostgreSQL itself.
    // The exporter's port is registered too, though no pod of the release connects to it:
    // Prometheus scrapes from outside the release (its namespace), which `allowIngress` admits.
    const exporter = metrics !== undefined ? this.exporterContainer(props) : undefined;
    context.network.add({ component: PGBOUNCER_COMPONENT, airflow: false, databaseClient: true,
      ports: [...container.ports!, ...(exporter?.ports ?? [])] });
    // Stateless: a scale-down may move it, as it does the scheduler (clients reconnect). The
    // exporter runs as the pod's user, restricted like PgBouncer (it writes nothing).
    const template = dataStorePodTemplate(context, PGBOUNCER_COMPONENT, identity, container, volumes, EvictionClass.SERVICE, {
      terminationGracePeriodSeconds: 30,
      pod: props.pod,
      companions: exporter === undefined ? [] : [exporter],
      placement: spreadReplicas(context, PGBOUNCER_COMPONENT, this.replicas),
    });
    this.deployment = componentDeployment(this, context, PGBOUNCER_COMPONENT, this.replicas, template);
    this.disruptionBudget = disruptionBudget(this, context, PGBOUNCER_COMPONENT, this.replicas);
    this.serviceName = context.resourceName(PGBOUNCER_COMPONENT);
    if (metrics?.serviceMonitor !== undefined) {
      this.serviceMonitor = componentServiceMonitor(this, context, PGBOUNCER_COMPONENT, METRICS_PORT_NAME, metrics.serviceMonitor);
    }
  }

  /**
   * prometheus-community/pgbouncer_exporter (v0.12.1): its flag `--pgBouncer.connectionString`
   * reads `PGBOUNCER_EXPORTER_CONNECTION_STRING`, given to lib/pq, which takes a key/value string;
   * it opens a connection per scrape to the admin console (database `pgbouncer`). 127.0.0.1, not
   * localhost: PgBouncer listens on 0.0.0.0 only (entrypoint.sh's `listen_addr` default). lib/pq
   * asks for TLS unless `sslmode=disable`, and PgBouncer offers none to clients here.
   */
  private exporterContainer(props: PgBouncerProps): k8s.Container {
    const { context, server } = props;
    const options = props.metrics ?? {};
    const image = options.image ?? DEFAULT_IMAGES.pgbouncerExporter;
    const connection = [
      'host=127.0.0.1', `port=${PORTS.pgbouncer}`, 'dbname=pgbouncer', `user=${quoted(server.user)}`,
      `password='$(${EXPORTER_PASSWORD_ENV})'`, 'sslmode=disable',
    ].join(' ');
    // The landing page on `/` answers without touching PgBouncer: a PgBouncer restart must not
    // take the pod out of the Service (readiness) nor restart the exporter (liveness).
    const probe = (periodSeconds: number): k8s.Probe => ({
      httpGet: { path: '/', port: k8s.IntOrString.fromString(METRICS_PORT_NAME) },
      periodSeconds,
      timeoutSeconds: 5,
      failureThreshold: 3,
    });
    return {
      name: EXPORTER_CONTAINER,
      image: image.reference,
      imagePullPolicy: image.pullPolicy,
      args: [`--web.listen-address=:${PORTS.pgbouncerMetrics}`],
      env: [
        secretEnv(EXPORTER_PASSWORD_ENV, context.credentials.databasePassword),
        { name: 'PGBOUNCER_EXPORTER_CONNECTION_STRING', value: connection },
      ],
      ports: [containerPort(METRICS_PORT_NAME, PORTS.pgbouncerMetrics)],
      resources: renderResources(DEFAULT_RESOURCES.pgbouncerExporter, options.resources),
      livenessProbe: probe(15),
      readinessProbe: probe(10),
    };
  }
}
