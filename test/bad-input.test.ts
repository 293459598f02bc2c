// Every bad input is a clear synth-time error: one message per problem naming the property path,
// the value received and what is allowed (for TypeScript, JavaScript and JSON-driven callers);
// and what Kubernetes, PostgreSQL and Airflow accept is accepted. The older table of mistakes is
// in test/validation.test.ts; the rules' own tables in test/field-rules.test.ts and
// test/props-shape.test.ts; the schema backstop in test/schema-backstop.test.ts.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  Airflow, AirflowChart, AirflowProps, AirflowVersion, AuthManager, CeleryBroker, ContainerImage, DagSource, Executor, GitAuth, ImagePullPolicy,
  MetadataDatabase, PodSecurityLevel, SecretKey,
} from '../lib';
import { problemsOf, release, synthAirflow } from './helpers';
import { MISTAKES } from './validation-mistakes';

/** [what the user did wrong, props, every message, exactly] */
const BAD_INPUT: Array<[string, AirflowProps, string[]]> = [
  ['a namespace with capitals', { namespace: 'Airflow' },
    ["namespace: not a valid namespace name (got \"Airflow\"). Fix: use at most 63 lower-case letters, digits and \"-\", starting and ending with a letter or digit, e.g. \"airflow\""]],
  ['a namespace longer than 63 characters', { namespace: 'a'.repeat(64) },
    ["namespace: not a valid namespace name (got \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"). Fix: use at most 63 lower-case letters, digits and \"-\", starting and ending with a letter or digit, e.g. \"airflow\""]],
  ['a release name starting with a digit (Service names must start with a letter)', { name: '1airflow' },
    ["name: must be a DNS label of at most 34 characters (object names append up to 29) (got \"1airflow\"). Fix: use lower-case letters, digits and \"-\", starting with a letter, e.g. \"airflow\""]],
  ['a release name too long for the longest object name', { name: 'a'.repeat(40) },
    ["name: must be a DNS label of at most 34 characters (object names append up to 29) (got \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"). Fix: use lower-case letters, digits and \"-\", starting with a letter, e.g. \"airflow\""]],
  ['scheduler replicas beyond int32', { scheduler: { replicas: 2 ** 31 } },
    ["scheduler.replicas: must be at most 2147483647 (got 2147483648). Fix: e.g. 1"]],
  ['fractional triggerer replicas', { triggerer: { replicas: 1.5 } },
    ["triggerer.replicas: must be a whole number, 0 or more (got 1.5). Fix: e.g. 1"]],
  ['API server replicas below zero', { apiServer: { replicas: -2 } },
    ["apiServer.replicas: must be a whole number, 0 or more (got -2). Fix: e.g. 1"]],
  ['a DAG processor with a fractional replica count', { dagProcessor: { replicas: 0.5 } },
    ["dagProcessor.replicas: must be a whole number, 0 or more (got 0.5). Fix: e.g. 1"]],
  ['worker concurrency zero', { executor: Executor.celery({ workers: { concurrency: 0 } }) },
    ["executor.celery.workers.concurrency: must be a whole number, 1 or more (got 0). Fix: e.g. 16"]],
  ['worker replicas beyond int32', { executor: Executor.celery({ workers: { replicas: 3e9 } }) },
    ["executor.celery.workers.replicas: must be at most 2147483647 (got 3000000000). Fix: e.g. 1"]],
  ['a CPU limit below the default request', { apiServer: { resources: { cpu: { limit: kplus.Cpu.millis(100) } } } },
    ["apiServer.resources.cpu: the request is above the limit (the default fills in what you leave unset) (got \"request 250m, limit 100m\"). Fix: set both, e.g. request 100m with limit 100m"]],
  ['a worker memory request above its limit', { executor: Executor.celery({ workers: { resources: { memory: { request: Size.gibibytes(4), limit: Size.gibibytes(2) } } } }) },
    ["executor.celery.workers.resources.memory: the request is above the limit (the default fills in what you leave unset) (got \"request 4Gi, limit 2Gi\"). Fix: set both, e.g. request 2Gi with limit 2Gi"]],
  ['a Flower CPU request above the default limit', { executor: Executor.celery({ flower: { resources: { cpu: { request: kplus.Cpu.units(1) } } } }) },
    ["executor.celery.flower.resources.cpu: the request is above the limit (the default fills in what you leave unset) (got \"request 1, limit 500m\"). Fix: set both, e.g. request 500m with limit 500m"]],
  ['a Redis memory request above the default limit', { executor: Executor.celery({ redis: { resources: { memory: { request: Size.gibibytes(1) } } } }) },
    ["executor.celery.redis.resources.memory: the request is above the limit (the default fills in what you leave unset) (got \"request 1Gi, limit 256Mi\"). Fix: set both, e.g. request 256Mi with limit 256Mi"]],
  ['a PostgreSQL CPU request above the default limit', { database: MetadataDatabase.bundledPostgres({ resources: { cpu: { request: kplus.Cpu.units(2) } } }) },
    ["database.resources.cpu: the request is above the limit (the default fills in what you leave unset) (got \"request 2, limit 1\"). Fix: set both, e.g. request 1 with limit 1"]],
  ['a task pod memory request above the default limit', { executor: Executor.kubernetes({ workerPods: { resources: { memory: { request: Size.gibibytes(3) } } } }) },
    ["executor.kubernetes.workerPods.resources.memory: the request is above the limit (the default fills in what you leave unset) (got \"request 3Gi, limit 2Gi\"). Fix: set both, e.g. request 2Gi with limit 2Gi"]],
  ['a git-sync memory request above its default limit', { dags: DagSource.gitSync({ repository: 'https://github.com/o/r.git', resources: { memory: { request: Size.gibibytes(1) } } }) },
    ["dags.resources.memory: the request is above the limit (the default fills in what you leave unset) (got \"request 1Gi, limit 256Mi\"). Fix: set both, e.g. request 256Mi with limit 256Mi"]],
  ['a DAG processor ephemeral-storage request above its limit', { dagProcessor: { resources: { ephemeralStorage: { request: Size.gibibytes(2), limit: Size.gibibytes(1) } } } },
    ["dagProcessor.resources.ephemeralStorage: the request is above the limit (the default fills in what you leave unset) (got \"request 2Gi, limit 1Gi\"). Fix: set both, e.g. request 1Gi with limit 1Gi"]],
  ['a cron schedule with a minute out of range', { executor: Executor.kubernetes({ cleanup: { schedule: '60 * * * *' } }) },
    ["executor.kubernetes.cleanup.schedule: field 1 (minute) \"60\" is outside 0-59 (got \"60 * * * *\"). Fix: e.g. \"*/15 * * * *\" (every 15 minutes) or \"@hourly\""]],
  ['a cron schedule that never fires (30 February)', { executor: Executor.kubernetes({ cleanup: { schedule: '0 0 30 2 *' } }) },
    ["executor.kubernetes.cleanup.schedule: never fires: day 30 does not exist in February (got \"0 0 30 2 *\"). Fix: e.g. \"*/15 * * * *\" (every 15 minutes) or \"@hourly\""]],
  ['a cron schedule with a time zone (the CronJob field is timeZone)', { executor: Executor.kubernetes({ cleanup: { schedule: 'CRON_TZ=UTC 0 * * * *' } }) },
    ["executor.kubernetes.cleanup.schedule: cannot use TZ or CRON_TZ in the schedule: set the CronJob's timeZone field instead (got \"CRON_TZ=UTC 0 * * * *\"). Fix: e.g. \"*/15 * * * *\" (every 15 minutes) or \"@hourly\""]],
  ['a cron schedule with an unknown descriptor', { executor: Executor.kubernetes({ cleanup: { schedule: '@fortnightly' } }) },
    ["executor.kubernetes.cleanup.schedule: unknown descriptor \"@fortnightly\": use @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or @every <duration> (got \"@fortnightly\"). Fix: e.g. \"*/15 * * * *\" (every 15 minutes) or \"@hourly\""]],
  ['a cron schedule with a bad step', { executor: Executor.kubernetes({ cleanup: { schedule: '*/0 * * * *' } }) },
    ["executor.kubernetes.cleanup.schedule: field 1 (minute) \"*/0\": the step must be at least 1 (got \"*/0 * * * *\"). Fix: e.g. \"*/15 * * * *\" (every 15 minutes) or \"@hourly\""]],
  ['a cron schedule with an unknown month name', { executor: Executor.kubernetes({ cleanup: { schedule: '0 0 1 JANUARY *' } }) },
    ["executor.kubernetes.cleanup.schedule: field 4 (month) \"JANUARY\" is not a number or a month name (JAN-DEC) (got \"0 0 1 JANUARY *\"). Fix: e.g. \"*/15 * * * *\" (every 15 minutes) or \"@hourly\""]],
  ['a toleration with Exists and a value', { executor: Executor.kubernetes({ workerPods: { tolerations: [{ key: 'pool', operator: 'Exists', value: 'x' }] } }) },
    ["executor.kubernetes.workerPods.tolerations[0]: value must be empty when operator is Exists (got {\"key\":\"pool\",\"operator\":\"Exists\",\"value\":\"x\"}). Fix: e.g. { key: \"pool\", operator: \"Equal\", value: \"tasks\", effect: \"NoSchedule\" }"]],
  ['a toleration with an unknown effect', { executor: Executor.kubernetes({ workerPods: { tolerations: [{ key: 'pool', operator: 'Equal', value: 'x', effect: 'NoRun' }] } }) },
    ["executor.kubernetes.workerPods.tolerations[0]: effect \"NoRun\" is not supported: use NoSchedule, PreferNoSchedule or NoExecute, or leave it empty for every effect (got {\"key\":\"pool\",\"operator\":\"Equal\",\"value\":\"x\",\"effect\":\"NoRun\"}). Fix: e.g. { key: \"pool\", operator: \"Equal\", value: \"tasks\", effect: \"NoSchedule\" }"]],
  ['a toleration with seconds but not NoExecute', { executor: Executor.kubernetes({ workerPods: { tolerations: [{ key: 'pool', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 60 }] } }) },
    ["executor.kubernetes.workerPods.tolerations[0]: tolerationSeconds is only allowed with effect NoExecute (got {\"key\":\"pool\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\",\"tolerationSeconds\":60}). Fix: e.g. { key: \"pool\", operator: \"Equal\", value: \"tasks\", effect: \"NoSchedule\" }"]],
  ['a toleration with an empty key and Equal', { executor: Executor.kubernetes({ workerPods: { tolerations: [{ operator: 'Equal', value: 'x' }] } }) },
    ["executor.kubernetes.workerPods.tolerations[0]: operator must be Exists when key is empty (an empty key with Exists tolerates every taint) (got {\"operator\":\"Equal\",\"value\":\"x\"}). Fix: e.g. { key: \"pool\", operator: \"Equal\", value: \"tasks\", effect: \"NoSchedule\" }"]],
  ['a toleration with an unknown operator', { executor: Executor.kubernetes({ workerPods: { tolerations: [{ key: 'pool', operator: 'Contains', value: 'x' }] } }) },
    ["executor.kubernetes.workerPods.tolerations[0]: operator \"Contains\" is not supported: use Equal or Exists (got {\"key\":\"pool\",\"operator\":\"Contains\",\"value\":\"x\"}). Fix: e.g. { key: \"pool\", operator: \"Equal\", value: \"tasks\", effect: \"NoSchedule\" }"]],
  ['a node affinity expression with In and no values', { executor: Executor.kubernetes({ workerPods: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: [] }] }] } } } } }) },
    ["executor.kubernetes.workerPods.affinity.nodeAffinity (term 0, expression 0): values must not be empty when operator is In (got {\"key\":\"pool\",\"operator\":\"In\",\"values\":[]}). Fix: e.g. { key: \"kubernetes.io/arch\", operator: \"In\", values: [\"amd64\"] }"]],
  ['a node affinity expression with Exists and values', { executor: Executor.kubernetes({ workerPods: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'Exists', values: ['x'] }] }] } } } } }) },
    ["executor.kubernetes.workerPods.affinity.nodeAffinity (term 0, expression 0): values must be empty when operator is Exists (got {\"key\":\"pool\",\"operator\":\"Exists\",\"values\":[\"x\"]}). Fix: e.g. { key: \"kubernetes.io/arch\", operator: \"In\", values: [\"amd64\"] }"]],
  ['a node affinity expression with an unknown operator', { executor: Executor.kubernetes({ workerPods: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'Like', values: ['x'] }] }] } } } } }) },
    ["executor.kubernetes.workerPods.affinity.nodeAffinity (term 0, expression 0): operator \"Like\" is not supported: use In, NotIn, Exists, DoesNotExist, Gt or Lt (got {\"key\":\"pool\",\"operator\":\"Like\",\"values\":[\"x\"]}). Fix: e.g. { key: \"kubernetes.io/arch\", operator: \"In\", values: [\"amd64\"] }"]],
  ['a node selector key with two slashes', { executor: Executor.kubernetes({ workerPods: { nodeSelector: { 'a/b/c': 'x' } } }) },
    ["executor.kubernetes.workerPods.nodeSelector.a/b/c: not a node label: must be a name with an optional DNS subdomain prefix and one \"/\", e.g. \"example.com/my-name\"; this has more than one \"/\" (got \"x\"). Fix: e.g. { \"kubernetes.io/arch\": \"amd64\" }"]],
  ['a node selector value longer than 63 characters', { executor: Executor.kubernetes({ workerPods: { nodeSelector: { pool: 'x'.repeat(64) } } }) },
    ["executor.kubernetes.workerPods.nodeSelector.pool: not a node label: must be no more than 63 characters (has 64) (got \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"). Fix: e.g. { \"kubernetes.io/arch\": \"amd64\" }"]],
  ['a PriorityClass name with capitals', { executor: Executor.kubernetes({ workerPods: { priorityClassName: 'Tasks' } }) },
    ["executor.kubernetes.workerPods.priorityClassName: not a PriorityClass name: must be a DNS-1123 subdomain: lower-case letters, digits and \"-\", starting and ending with a letter or digit, in parts joined by \".\" (\"T\" is not allowed) (got \"Tasks\"). Fix: e.g. \"airflow-tasks\""]],
  ['an image repository with the tag in it', { image: ContainerImage.of('apache/airflow:3.1.7', '3.1.7') },
    ["image: the repository contains a tag (\":3.1.7\"): give the repository without it and the tag separately (got \"apache/airflow:3.1.7:3.1.7\"). Fix: pin a released tag, e.g. ContainerImage.of(\"apache/airflow\", \"3.1.7\")"]],
  ['an image repository with capitals', { image: ContainerImage.of('Apache/airflow', '3.1.7') },
    ["image: the repository path \"Apache/airflow\" must be lower case (got \"Apache/airflow:3.1.7\"). Fix: pin a released tag, e.g. ContainerImage.of(\"apache/airflow\", \"3.1.7\")"]],
  ['an image tag with a slash', { image: ContainerImage.of('apache/airflow', '3.1.7/slim') },
    ["image: the tag contains \"/\"; tags may contain only letters, digits, \"_\", \".\" and \"-\" (got \"apache/airflow:3.1.7/slim\"). Fix: pin a released tag, e.g. ContainerImage.of(\"apache/airflow\", \"3.1.7\")"]],
  ['an image tag longer than 128 characters', { image: ContainerImage.of('apache/airflow', `3.1.7-${'x'.repeat(128)}`) },
    ["image: the tag has 134 characters; at most 128 are allowed (got \"apache/airflow:3.1.7-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"). Fix: pin a released tag, e.g. ContainerImage.of(\"apache/airflow\", \"3.1.7\")"]],
  ['an image digest of the wrong length', { image: ContainerImage.of('apache/airflow', 'sha256:abc123') },
    ["image: a sha256 digest has 64 hex digits, this one has 6 (got \"apache/airflow@sha256:abc123\"). Fix: pin a released tag, e.g. ContainerImage.of(\"apache/airflow\", \"3.1.7\")"]],
  ['an image digest of an unknown algorithm', { image: ContainerImage.of('apache/airflow', `md5:${'a'.repeat(32)}`) },
    ["image: the digest algorithm \"md5\" is not supported: use sha256, sha384 or sha512 (got \"apache/airflow@md5:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"). Fix: pin a released tag, e.g. ContainerImage.of(\"apache/airflow\", \"3.1.7\")"]],
  ['a Redis image tag "latest"', { executor: Executor.celery({ redis: { image: ContainerImage.of('redis', 'latest') } }) },
    ["executor.celery.redis.image: tag \"latest\" is not pinned; a moving tag makes the output mean different things on different days (got \"redis:latest\"). Fix: pin a released tag, e.g. redis:7.4.3"]],
  ['a PostgreSQL image with the tag in the repository', { database: MetadataDatabase.bundledPostgres({ image: ContainerImage.of('postgres:17', '17.6') }) },
    ["database.image: the repository contains a tag (\":17\"): give the repository without it and the tag separately (a registry port must be followed by \"/\" and a path) (got \"postgres:17:17.6\"). Fix: pin a released tag, e.g. postgres:17.6"]],
  ['a git-sync image with an empty tag', { dags: DagSource.gitSync({ repository: 'https://github.com/o/r.git', image: ContainerImage.of('registry.k8s.io/git-sync/git-sync', '') }) },
    ["dags.image: the tag is empty (got \"registry.k8s.io/git-sync/git-sync:\"). Fix: pin a released git-sync v4 tag"]],
  ['an image pull policy that does not exist', { image: ContainerImage.of('apache/airflow', '3.1.7', 'Sometimes' as ImagePullPolicy) },
    ["image.pullPolicy: must be an ImagePullPolicy: \"IfNotPresent\", \"Always\" or \"Never\" (got \"Sometimes\"). Fix: use ImagePullPolicy.IF_NOT_PRESENT, ImagePullPolicy.ALWAYS or ImagePullPolicy.NEVER"]],
  ['an external database on localhost', { database: MetadataDatabase.externalPostgres({ host: 'localhost' }) },
    ["database.host: inside a pod this is the pod itself, not the database server (got \"localhost\"). Fix: give a name the pods can resolve: a Service (\"postgres.db.svc.cluster.local\") or the server's DNS name or IP"]],
  ['an external database on the loopback address', { database: MetadataDatabase.externalPostgres({ host: '127.0.0.1' }) },
    ["database.host: inside a pod this is the pod itself, not the database server (got \"127.0.0.1\"). Fix: give a name the pods can resolve: a Service (\"postgres.db.svc.cluster.local\") or the server's DNS name or IP"]],
  ['an external database port out of range', { database: MetadataDatabase.externalPostgres({ host: 'pg', port: 70000 }) },
    ["database.port: not a TCP port (got 70000). Fix: e.g. 5432"]],
  ['an unknown SSL mode', { database: MetadataDatabase.externalPostgres({ host: 'pg', sslMode: 'on' }) },
    ["database.sslMode: not a libpq sslmode (got \"on\"). Fix: use one of disable, allow, prefer, require, verify-ca, verify-full"]],
  ['an SSL mode on Airflow 3.0, which cannot pass it to asyncpg', { ...release('3.0.6'), database: MetadataDatabase.externalPostgres({ host: 'pg', sslMode: 'require' }) },
    ["database.sslMode: Airflow 3.0.6 would pass sslmode to asyncpg, which refuses it, and has no [database] sql_alchemy_conn_async to set instead (got \"require\"). Fix: use Airflow 3.1 or later (AirflowVersion.V3_1_7), or leave sslMode unset"]],
  ['a database name longer than PostgreSQL allows', { database: MetadataDatabase.externalPostgres({ host: 'pg', database: 'd'.repeat(64) }) },
    ["database.database: must be at most 63 bytes, PostgreSQL's limit (has 64) (got \"dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd\"). Fix: e.g. \"airflow\""]],
  ['a database name that would end the URL', { database: MetadataDatabase.externalPostgres({ host: 'pg', database: 'a/b' }) },
    ['database.database: must not hold "/", "?", "#" or "%": the name is written into a connection URL as it is (got "a/b"). Fix: e.g. "airflow"']],
  ['a database name with a space, behind PgBouncer', { database: MetadataDatabase.externalPostgres({ host: 'pg', database: 'my db', pgbouncer: {} }) },
    ['database.database: must not hold spaces, quotes or "\\" with PgBouncer, whose configuration holds the name unquoted (got "my db"). Fix: e.g. "airflow"']],
  ['a Git server on the pod itself', { dags: DagSource.gitSync({ repository: 'https://localhost/org/dags.git' }) },
    ['dags.repository: inside a pod this host is the pod itself, not the Git server (got "https://localhost/org/dags.git"). Fix: give a name the pods can resolve, e.g. "https://git.example.com/org/dags.git"']],
  ['a DAG bundle on the pod itself', { dags: DagSource.bundles({ git: [{ name: 'a', repository: 'git@127.0.0.1:org/dags.git' }] }) },
    ['dags.git[0].repository: inside a pod this host is the pod itself, not the Git server (got "git@127.0.0.1:org/dags.git"). Fix: give a name the pods can resolve, e.g. "https://git.example.com/org/dags.git"']],
  ['a database host that is no IPv4 address', { database: MetadataDatabase.externalPostgres({ host: '999.1.1.1' }) },
    ['database.host: not a host name or an IP address (got "999.1.1.1"). Fix: give the server\'s DNS name, e.g. "postgres.example.internal", or its address']],
  ['a credentials key with a slash', { credentials: { redisPassword: SecretKey.of('redis', 'pass/word') } },
    ["credentials.redisPassword: not a valid Secret name and key: the key must consist of letters, digits, \"-\", \"_\" and \".\" (\"/\" is not allowed) (got \"redis/pass/word\"). Fix: use SecretKey.of(\"secret-name\", \"key\") with a DNS-subdomain name and a key of letters, digits, \"-\", \"_\", \".\""]],
  ['a credentials Secret name with an underscore', { credentials: { secretName: 'airflow_credentials' } },
    ["credentials.secretName: not a valid Secret name: must be a DNS-1123 subdomain: lower-case letters, digits and \"-\", starting and ending with a letter or digit, in parts joined by \".\" (\"_\" is not allowed) (got \"airflow_credentials\"). Fix: use a DNS subdomain, e.g. \"airflow-credentials\""]],
  ['a lone percent sign in a config value', { config: { logging: { simple_log_format: '100% done' } } },
    ["config.logging.simple_log_format: a lone \"%\" breaks Airflow's interpolation of airflow.cfg (got \"100% done\"). Fix: write a literal percent sign as \"%%\""]],
  ['an interpolation of an option the section does not set', { config: { logging: { log_format: '[%(asctime)s] %(message)s' } } },
    ["config.logging.log_format: %(asctime)s refers to an option this section of config does not set (got \"[%(asctime)s] %(message)s\"). Fix: for a literal \"%(asctime)s\" (a log format) write \"%%(asctime)s\"; or set asctime in the same section"]],
  ['a logging level Airflow does not know', { config: { logging: { logging_level: 'VERBOSE' } } },
    ["config.logging.logging_level: Airflow accepts only \"CRITICAL\", \"FATAL\", \"ERROR\", \"WARN\", \"WARNING\", \"INFO\", \"DEBUG\" here (the exact text) (got \"VERBOSE\"). Fix: give one of them, e.g. \"CRITICAL\""]],
  ['a logging level in lower case (Airflow compares the exact text)', { config: { logging: { logging_level: 'debug' } } },
    ["config.logging.logging_level: Airflow accepts only \"CRITICAL\", \"FATAL\", \"ERROR\", \"WARN\", \"WARNING\", \"INFO\", \"DEBUG\" here (the exact text) (got \"debug\"). Fix: give one of them, e.g. \"CRITICAL\""]],
  ['an ignore-file syntax Airflow does not know', { config: { core: { dag_ignore_file_syntax: 'gitignore' } } },
    ["config.core.dag_ignore_file_syntax: Airflow accepts only \"regexp\", \"glob\" here (the exact text) (got \"gitignore\"). Fix: give one of them, e.g. \"regexp\""]],
  ['a weight rule Airflow does not know', { config: { core: { default_task_weight_rule: 'priority' } } },
    ["config.core.default_task_weight_rule: Airflow accepts only \"absolute\", \"downstream\", \"upstream\" here (the exact text) (got \"priority\"). Fix: give one of them, e.g. \"absolute\""]],
  ['a flag the spec types as a string, given text Airflow\'s getboolean refuses', { config: { core: { load_examples: 'yes' } } },
    ["config.core.load_examples: [core] load_examples takes a boolean (got \"yes\"). Fix: give \"True\" or \"False\""]],
  ['an Airflow 2 flag the spec types as a string, given a word', { ...release('2.11.0'), config: { webserver: { cookie_secure: 'always' } } },
    ["config.webserver.cookie_secure: [webserver] cookie_secure takes a boolean (got \"always\"). Fix: give \"True\" or \"False\""]],
  ['a logs retention beyond int32', { logs: { retentionDays: 2 ** 31 } },
    ["logs.retentionDays: must be at most 2147483647 (got 2147483648). Fix: e.g. 7"]],
  ['negative logs retention', { logs: { retentionDays: -1 } },
    ["logs.retentionDays: must be a whole number, 0 or more (got -1). Fix: e.g. 7"]],
  ['a version given as text', { version: '3.1.7' as unknown as AirflowVersion },
    ["version: must be an AirflowVersion, e.g. AirflowVersion.of('3.1.7') (got \"3.1.7\"). Fix: use AirflowVersion.of('3.1.7')"]],
  ['an executor given as its Airflow class name', { executor: 'CeleryExecutor' as unknown as Executor },
    ["executor: must be an Executor, e.g. Executor.celery() (got \"CeleryExecutor\"). Fix: use Executor.celery()"]],
  ['a storage size given as text', { database: MetadataDatabase.bundledPostgres({ storage: '8GB' as unknown as Size }) },
    ["database.storage: must be a cdk8s Size, e.g. Size.gibibytes(8) (got \"8GB\"). Fix: use Size.gibibytes(8) (import { Size } from 'cdk8s')"]],
  ['"false" as text where a boolean belongs (it would grant pods/exec)', { podLauncher: { allowExec: 'false' as unknown as boolean } },
    ["podLauncher.allowExec: must be a boolean (true or false) (got \"false\"). Fix: write it without quotes: false"]],
  ['a misspelt top-level prop', JSON.parse('{"sheduler": {"replicas": 2}}'),
    ["sheduler: not a property of AirflowProps (got {\"replicas\":2}). Fix: did you mean \"scheduler\"?"]],
  ['a misspelt nested prop', JSON.parse('{"scheduler": {"replica": 2}}'),
    ["scheduler.replica: not a property of SchedulerOptions (got 2). Fix: did you mean \"replicas\"?"]],
  ['a misspelt executor option', { executor: Executor.celery(JSON.parse('{"workers": {"concurency": 8}}')) },
    ["executor.celery.workers.concurency: not a property of CeleryWorkerOptions (got 8). Fix: did you mean \"concurrency\"?"]],
  ['a misspelt git-sync option', { dags: DagSource.gitSync(JSON.parse('{"repo": "https://github.com/o/r.git"}')) },
    ["dags.repo: not a property of GitSyncOptions (got \"https://github.com/o/r.git\"). Fix: did you mean \"repository\"?","dags.repository: must be a string (got undefined). Fix: set it: GitSyncOptions requires repository"]],
  ['a misspelt external database option', { database: MetadataDatabase.externalPostgres(JSON.parse('{"hostname": "pg"}')) },
    ["database.hostname: not a property of ExternalPostgresOptions (got \"pg\"). Fix: did you mean \"host\"?","database.host: must be a string (got undefined). Fix: set it: ExternalPostgresOptions requires host"]],
  ['a misspelt admin user field', { authManager: AuthManager.fab(JSON.parse('{"adminUser": {"mail": "a@b.c"}}')) },
    ["authManager.adminUser.mail: not a property of AdminUserOptions (got \"a@b.c\"). Fix: did you mean \"email\"?"]],
  ['a misspelt credentials field', JSON.parse('{"credentials": {"fernet": "x"}}'),
    ["credentials.fernet: not a property of AirflowCredentialsProps (got \"x\"). Fix: did you mean \"fernetKey\"?"]],
  ['a sync period given as a number of seconds', { dags: DagSource.gitSync({ repository: 'https://github.com/o/r.git', period: 60 as unknown as Duration }) },
    ["dags.period: must be a cdk8s Duration, e.g. Duration.seconds(60) (got 60). Fix: use Duration.seconds(60) (import { Duration } from 'cdk8s')"]],
  ['an image given as text', { image: 'apache/airflow:3.1.7' as unknown as ContainerImage },
    ["image: must be a ContainerImage, e.g. ContainerImage.of('apache/airflow', '3.1.7') (got \"apache/airflow:3.1.7\"). Fix: use ContainerImage.of('apache/airflow', '3.1.7')"]],
  ['replicas given as text', JSON.parse('{"scheduler": {"replicas": "2"}}'),
    ["scheduler.replicas: must be a number (got \"2\"). Fix: write it without quotes: 2"]],
  ['a string where options belong', { scheduler: 'big' as unknown as AirflowProps['scheduler'] },
    ["scheduler: must be an object (SchedulerOptions) (got \"big\"). Fix: give an object with the properties pod, replicas, resources"]],
  ['a Git credentials key the kubelet cannot project', { dags: DagSource.gitSync({ repository: 'https://example.com/o/r.git', auth: GitAuth.httpsToken({ secretName: 'git', tokenKey: '..' }) }) },
    ['dags.auth.tokenKey: not a valid Secret key: must not be ".." (got ".."). Fix: use letters, digits, "-", "_" and "."']],
  ['a misspelt Git credentials option', { dags: DagSource.gitSync({ repository: 'git@github.com:o/r.git', auth: GitAuth.ssh(JSON.parse('{"secret": "k"}')) }) },
    ["dags.auth.secret: not a property of GitSshOptions (got \"k\"). Fix: did you mean \"secretName\"?","dags.auth.secretName: must be a string (got undefined). Fix: set it: GitSshOptions requires secretName"]],
];

/** Inputs at the edges of what Kubernetes, PostgreSQL and Airflow accept: each must synthesise. */
const ACCEPTED: Array<[string, AirflowProps]> = [
  ['a namespace starting with a digit', { namespace: '1data' }],
  ['a namespace of 63 characters', { namespace: 'n'.repeat(63) }],
  ['the longest release name', { name: 'a'.repeat(34) }],
  ['zero replicas of every long-running component', { apiServer: { replicas: 0 }, scheduler: { replicas: 0 }, dagProcessor: { replicas: 0 }, triggerer: { replicas: 0 }, executor: Executor.celery({ workers: { replicas: 0 } }) }],
  ['concurrency 1', { executor: Executor.celery({ workers: { concurrency: 1 } }) }],
  ['a request equal to its limit', { scheduler: { resources: { cpu: { request: kplus.Cpu.units(2), limit: kplus.Cpu.units(2) } } } }],
  ['only a memory limit (the defaults fill in the rest)', { scheduler: { resources: { memory: { limit: Size.gibibytes(4) } } } }],
  ['an external database by IP address', { database: MetadataDatabase.externalPostgres({ host: '10.0.0.5', port: 65535 }) }],
  ['a database and user name with "-" and "."', { database: MetadataDatabase.externalPostgres({ host: 'pg.example.com', database: 'air-flow.prod', user: 'svc-airflow' }) }],
  ['a user name of 63 characters', { database: MetadataDatabase.externalPostgres({ host: 'pg', user: 'u'.repeat(63) }) }],
  ['names PostgreSQL takes: a space, a non-ASCII letter, an Azure-style user', { database: MetadataDatabase.externalPostgres({ host: 'pg', database: 'my dätabase', user: 'svc@tenant' }) }],
  ['an external database and Redis by IPv6 address, bare or in brackets', {
    database: MetadataDatabase.externalPostgres({ host: 'fd00::5' }),
    executor: Executor.celery({ broker: CeleryBroker.externalRedis({ host: '[fd00::6]' }) }),
  }],
  ['verify-full on Airflow 3.1', { database: MetadataDatabase.externalPostgres({ host: 'pg', sslMode: 'verify-full' }) }],
  ['SSL on Airflow 2.11', { ...release('2.11.0'), database: MetadataDatabase.externalPostgres({ host: 'pg', sslMode: 'require' }) }],
  ['an image pinned by digest', { image: ContainerImage.of('apache/airflow', `sha256:${'a'.repeat(64)}`) }],
  ['an image from a registry with a port', { image: ContainerImage.of('registry.example.com:5000/team/airflow', '3.1.7') }],
  ['an image tag with a suffix', { image: ContainerImage.of('apache/airflow', '3.1.7-python3.12') }],
  ['a cron descriptor', { executor: Executor.kubernetes({ cleanup: { schedule: '@hourly' } }) }],
  ['a cron day that exists in leap years only', { executor: Executor.kubernetes({ cleanup: { schedule: '0 0 29 2 *' } }) }],
  ['a cron schedule with names, ranges and steps', { executor: Executor.kubernetes({ cleanup: { schedule: '*/10 8-18 * JAN-DEC MON-FRI' } }) }],
  ['a toleration of every taint', { executor: Executor.kubernetes({ workerPods: { tolerations: [{ operator: 'Exists' }] } }) }],
  ['a NoExecute toleration with seconds', { executor: Executor.kubernetes({ workerPods: { tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }] } }) }],
  ['a node selector with an empty value', { executor: Executor.kubernetes({ workerPods: { nodeSelector: { 'example.com/tasks': '' } } }) }],
  ['a PriorityClass name with dots', { executor: Executor.kubernetes({ workerPods: { priorityClassName: 'airflow.tasks-high' } }) }],
  ['a literal percent sign written %%', { config: { logging: { simple_log_format: '100%% done' } } }],
  ['an interpolation of an option set in the same section', { config: { logging: { log_format: '%(simple_log_format)s x', simple_log_format: 'y' } } }],
  ['a log format written the Airflow way', { config: { logging: { log_format: '[%%(asctime)s] %%(message)s' } } }],
  ['an accepted logging level', { config: { logging: { logging_level: 'DEBUG' } } }],
  ['a boolean flag in any case', { config: { core: { load_examples: 'TRUE' } } }],
  ['no logs retention (one day)', { logs: { retentionDays: 0, sizeLimit: Size.mebibytes(64) } }],
  ['credentials in a Secret with dots in its name and key', { credentials: { databasePassword: SecretKey.of('pg.app-credentials', 'postgres.password') } }],
];

describe('bad input: each problem is one message naming property, value and fix', () => {
  test.each(BAD_INPUT)('%s', (_what, props, messages) => {
    expect(problemsOf(props)).toEqual(messages);
  });

  test('the tables keep their breadth: with the mistakes of test/validation.test.ts, at least 120; at least 20 accepted edge cases', () => {
    expect(BAD_INPUT.length + MISTAKES.length).toBeGreaterThanOrEqual(120);
    expect(ACCEPTED.length).toBeGreaterThanOrEqual(20);
  });
});

describe('no false rejects: what Kubernetes, PostgreSQL and Airflow accept synthesises', () => {
  test.each(ACCEPTED)('%s', (_what, props) => {
    expect(problemsOf(props)).toEqual([]);
    expect(synthAirflow(props).length).toBeGreaterThan(10);
  });
});

describe('collisions: two constructs that would write one object', () => {
  test('two releases of one name in one namespace, with both construct paths', () => {
    const app = Testing.app();
    new Airflow(new Chart(app, 'team-a', { namespace: 'airflow' }), 'airflow');
    new Airflow(new Chart(app, 'team-b', { namespace: 'airflow' }), 'airflow');
    expect(() => app.synth()).toThrow(/team-a\/airflow and team-b\/airflow write the same objects \(\d+\): ConfigMap "airflow-config" in namespace airflow, .*Fix: give each release its own name or namespace/);
  });

  test('two charts creating one Namespace', () => {
    const app = Testing.app();
    new AirflowChart(app, 'one', { namespace: 'data', name: 'etl' });
    new AirflowChart(app, 'two', { namespace: 'data', name: 'ml' });
    expect(() => app.synth()).toThrow('one/Namespace and two/Namespace write the same object: Namespace "data"; applying one would replace the other.');
  });

  test('an object of the user\'s that takes a name the library writes', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'platform', { namespace: 'airflow' });
    new Airflow(chart, 'airflow');
    new kplus.k8s.KubeConfigMap(chart, 'mine', { metadata: { name: 'airflow-config' } });
    expect(() => app.synth()).toThrow(/platform\/airflow and platform\/mine write the same object: ConfigMap "airflow-config" in namespace airflow/);
  });

  test('distinct releases side by side are fine, and nothing is written on a collision', () => {
    const app = Testing.app();
    new AirflowChart(app, 'one', { namespace: 'data', name: 'etl' });
    new AirflowChart(app, 'two', { namespace: 'data', name: 'ml', createNamespace: false });
    expect(() => app.synth()).not.toThrow();
    const clash = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'collide-')) });
    new AirflowChart(clash, 'one', { namespace: 'data' });
    new AirflowChart(clash, 'two', { namespace: 'data' });
    expect(() => clash.synth()).toThrow(/write the same/);
    expect(fs.readdirSync(clash.outdir)).toEqual([]);
  });
});

describe('AirflowChart\'s own props, reported with the deployment\'s', () => {
  test('an unknown Pod Security level and a non-boolean createNamespace, with a problem of the deployment, in one error', () => {
    const build = () => new AirflowChart(Testing.app(), 'c', {
      namespace: 'data',
      enforcePodSecurity: 'strict' as PodSecurityLevel,
      createNamespace: 'no' as unknown as boolean,
      scheduler: { replicas: -1 },
    });
    expect(build).toThrow([
      'AirflowChart "c": 3 problems in the configuration:',
      '  - enforcePodSecurity: not a Pod Security level (restricted, baseline, privileged) (got "strict"). Fix: e.g. PodSecurityLevel.BASELINE',
      '  - createNamespace: must be true or false (got "no"). Fix: e.g. false, when another chart creates the Namespace',
      '  - scheduler.replicas: must be a whole number, 0 or more (got -1). Fix: e.g. 1',
    ].join('\n'));
  });
});

