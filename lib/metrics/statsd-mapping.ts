import type { ValidationErrors } from '../validation';
import type { StatsdMapping } from './metrics';

/**
 * The statsd exporter's mapping file: which of Airflow's statsd metrics become which labelled
 * Prometheus metrics. Facts it rests on:
 *
 * - Airflow (statsd_on, no Datadog or InfluxDB tags) sends every metric that carries a DAG, task,
 *   pool or host twice from the same call: once with the ids in the name (`ti.finish.<dag_id>.
 *   <task_id>.<state>`, the "legacy" names) and once without, its tags dropped (`ti.finish`).
 *   Airflow 2.x: airflow/models/taskinstance.py ("Same metric with tagging"); 3.1:
 *   airflow-core models/dagrun.py, models/taskinstance.py, jobs/scheduler_job_runner.py,
 *   task-sdk execution_time/task_runner.py; 3.2: the same through DualStatsManager with
 *   `[metrics] legacy_names_on` (default True). The names are those of Airflow's metric tables
 *   (docs/administration-and-deployment/logging-monitoring/metric_tables.rst at dda8d2786710).
 * - So each such family is one labelled metric here, from the named form, and its unnamed twin is
 *   dropped: for a gauge the twin holds whichever pool or task was sent last, for a counter or a
 *   timer it is the sum over the labels, which `sum()` gives.
 * - statsd_exporter (v0.30.0 README, pkg/mapper): glob rules match whole dot-separated parts and
 *   the first matching rule wins; regex rules are tried after every glob rule; a name that matches
 *   nothing is exported with its dots as underscores and no labels; timers (sent in ms) are
 *   observed in seconds; every mapping needs a name, a drop rule too; metrics of one name must
 *   have the same label names, or the later events are dropped as conflicts.
 * - Ids with a dot (a task in a TaskGroup, `group.task`) have more parts than a rule: those events
 *   are exported under the unlabelled name. Hosts are matched with a regex, since
 *   `[core] hostname_callable` gives the pod's FQDN.
 */

/** What `[metrics] statsd_prefix` is set to, and what every rule starts with. */
export const STATSD_PREFIX = 'airflow';

/** The buckets of every timer, in seconds: from a dependency check's milliseconds to a task's hours. */
const HISTOGRAM_BUCKETS = [0.01, 0.1, 0.5, 1, 5, 15, 30, 60, 300, 900, 1800, 3600, 7200];

/** A rule as rendered: the user's `StatsdMapping`, or one of the library's, which may be a regex. */
interface MappingRule {
  readonly match: string;
  readonly name?: string;
  readonly labels?: { readonly [name: string]: string };
  readonly drop?: boolean;
  readonly regex?: boolean;
  /** A comment line above the rule (the first of a group). */
  readonly comment?: string;
}

const drop = (match: string): MappingRule => ({ match, drop: true });

/** The library's rules. Order matters among glob rules: the first match wins. */
export const LIBRARY_MAPPINGS: readonly MappingRule[] = [
  { comment: 'Task instances started and finished, by DAG, task and state (counters).',
    match: 'airflow.ti.start.*.*', name: 'airflow_ti_start_total', labels: { dag_id: '$1', task_id: '$2' } },
  { match: 'airflow.ti.finish.*.*.*', name: 'airflow_ti_finish_total', labels: { dag_id: '$1', task_id: '$2', state: '$3' } },
  { comment: 'Task instances by state, queue, DAG and task (gauges: scheduled, queued, running, deferred).',
    match: 'airflow.ti.*.*.*.*', name: 'airflow_ti_$1', labels: { queue: '$2', dag_id: '$3', task_id: '$4' } },
  drop('airflow.ti.*'),
  { comment: 'Task durations: running, scheduled to queued, queued to running.',
    match: 'airflow.dag.*.*.duration', name: 'airflow_task_duration_seconds', labels: { dag_id: '$1', task_id: '$2' } },
  { match: 'airflow.dag.*.*.scheduled_duration', name: 'airflow_task_scheduled_duration_seconds', labels: { dag_id: '$1', task_id: '$2' } },
  { match: 'airflow.dag.*.*.queued_duration', name: 'airflow_task_queued_duration_seconds', labels: { dag_id: '$1', task_id: '$2' } },
  drop('airflow.task.duration'),
  drop('airflow.task.scheduled_duration'),
  drop('airflow.task.queued_duration'),
  { comment: 'DAG runs, by DAG (and state).',
    match: 'airflow.dagrun.*.first_task_scheduling_delay', name: 'airflow_dagrun_first_task_scheduling_delay_seconds', labels: { dag_id: '$1' } },
  { match: 'airflow.dagrun.duration.*.*', name: 'airflow_dagrun_duration_seconds', labels: { state: '$1', dag_id: '$2' } },
  drop('airflow.dagrun.duration.*'),
  { match: 'airflow.dagrun.schedule_delay.*', name: 'airflow_dagrun_schedule_delay_seconds', labels: { dag_id: '$1' } },
  { match: 'airflow.dagrun.dependency-check.*', name: 'airflow_dagrun_dependency_check_seconds', labels: { dag_id: '$1' } },
  drop('airflow.dagrun.first_task_scheduling_delay'),
  drop('airflow.dagrun.schedule_delay'),
  drop('airflow.dagrun.dependency-check'),
  { comment: 'Tasks that left or came back to a DAG, by DAG (counters).',
    match: 'airflow.task_removed_from_dag.*', name: 'airflow_task_removed_from_dag_total', labels: { dag_id: '$1' } },
  { match: 'airflow.task_restored_to_dag.*', name: 'airflow_task_restored_to_dag_total', labels: { dag_id: '$1' } },
  drop('airflow.task_removed_from_dag'),
  drop('airflow.task_restored_to_dag'),
  { comment: 'Pools: open, queued, running, deferred and scheduled slots, starving tasks (gauges).',
    match: 'airflow.pool.*.*', name: 'airflow_pool_$1', labels: { pool: '$2' } },
  drop('airflow.pool.*'),
  { comment: 'DAG files: seconds since each was last parsed (gauge).',
    match: 'airflow.dag_processing.last_run.seconds_ago.*', name: 'airflow_dag_processing_last_run_seconds_ago', labels: { dag_file: '$1' } },
  { comment: 'Airflow 2: task processes\' exit codes; the job id, one per task run, is left out.',
    match: 'airflow.local_task_job.task_exit.*.*.*.*', name: 'airflow_local_task_job_task_exit_total', labels: { dag_id: '$2', task_id: '$3', return_code: '$4' } },
  drop('airflow.local_task_job.task_exit'),
  { comment: 'Operators and task types: the name is glued on, so these are regexes (tried after every glob rule).',
    match: '^airflow\\.operator_successes_(.+)$', regex: true, name: 'airflow_operator_successes_total', labels: { operator: '$1' } },
  { match: '^airflow\\.operator_failures_(.+)$', regex: true, name: 'airflow_operator_failures_total', labels: { operator: '$1' } },
  { match: '^airflow\\.task_instance_created_(.+)$', regex: true, name: 'airflow_task_instance_created_total', labels: { task_type: '$1' } },
  drop('airflow.operator_successes'),
  drop('airflow.operator_failures'),
  drop('airflow.task_instance_created'),
  { comment: 'Triggerers, by host (a pod\'s FQDN has dots: regexes).',
    match: '^airflow\\.triggers\\.running\\.(.+)$', regex: true, name: 'airflow_triggers_running', labels: { hostname: '$1' } },
  { match: '^airflow\\.triggerer\\.capacity_left\\.(.+)$', regex: true, name: 'airflow_triggerer_capacity_left', labels: { hostname: '$1' } },
  drop('airflow.triggers.running'),
  drop('airflow.triggerer.capacity_left'),
];

/** A YAML scalar: JSON's double-quoted strings are YAML's too. */
const q = (value: string | number): string => (typeof value === 'number' ? String(value) : JSON.stringify(value));

/** The mapping file: the user's rules first, then the library's. */
export function renderStatsdMapping(userRules: readonly StatsdMapping[] = []): string {
  const lines = [
    '# statsd_exporter mapping, written by cdk8s-airflow: Airflow\'s statsd metrics as labelled',
    '# Prometheus metrics. Names that match no rule are exported with "." as "_" and no labels.',
    'defaults:',
    '  match_type: glob',
    '  observer_type: histogram',
    '  histogram_options:',
    `    buckets: [${HISTOGRAM_BUCKETS.join(', ')}]`,
    'mappings:',
  ];
  const rules: MappingRule[] = [
    ...userRules.map((rule, i) => ({ ...rule, comment: i === 0 ? 'Rules of the deployment (mappings), before the library\'s.' : undefined })),
    ...LIBRARY_MAPPINGS,
  ];
  for (const rule of rules) {
    if (rule.comment !== undefined) {
      lines.push(`  # ${rule.comment}`);
    }
    lines.push(`  - match: ${q(rule.match)}`);
    if (rule.regex) {
      lines.push('    match_type: regex');
    }
    if (rule.drop) {
      // statsd_exporter requires a name on every rule, one that drops included.
      lines.push('    action: drop', `    name: ${q('dropped')}`);
      continue;
    }
    lines.push(`    name: ${q(rule.name ?? '')}`);
    const labels = Object.keys(rule.labels ?? {}).sort();
    if (labels.length > 0) {
      lines.push('    labels:', ...labels.map((label) => `      ${label}: ${q(rule.labels![label])}`));
    }
  }
  return lines.join('\n') + '\n';
}

// statsd_exporter's own grammar (pkg/mapper/mapper.go at v0.30.0): a glob's first part starts with
// a letter or "_", later parts may start with a digit; a metric name may hold "$n" references.
const GLOB = /^(\*|[a-zA-Z_][a-zA-Z0-9_-]*)(\.\*|\.[a-zA-Z0-9_][a-zA-Z0-9_-]*)*$/;
const METRIC_NAME = /^([a-zA-Z_]|\$\{?\d+\}?)([a-zA-Z0-9_]|\$\{?\d+\}?)*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]+$/;
const REFERENCE = /\$\{?(\d+)\}?/g;

/** Every problem of the user's rules, their names' label sets compared with each other and with the library's. */
export function validateStatsdMappings(errors: ValidationErrors, property: string, rules: readonly StatsdMapping[]): void {
  /** Label names by literal metric name, with where each was given first. */
  const labelSets = new Map<string, { labels: string; where: string }>();
  const seenMatches = new Map<string, string>();
  rules.forEach((rule, i) => {
    const at = `${property}[${i}]`;
    if (!GLOB.test(rule.match)) {
      errors.add(`${at}.match`, rule.match, 'not a statsd_exporter glob: dot-separated parts of letters, digits, "_" and "-" (the first not starting with a digit), or "*" for one whole part',
        'e.g. "airflow.dag.*.*.duration"');
      return;
    }
    const earlier = seenMatches.get(rule.match);
    if (earlier !== undefined) {
      errors.add(`${at}.match`, rule.match, `${earlier} has the same match and wins (the first matching rule does), so this rule never applies`, 'remove one of the two');
    }
    seenMatches.set(rule.match, at);
    const wildcards = rule.match.split('.').filter((part) => part === '*').length;
    if (rule.drop) {
      if (rule.name !== undefined || rule.labels !== undefined) {
        errors.add(at, { name: rule.name, labels: rule.labels }, 'a rule that drops its metrics exports nothing, so a name or labels would do nothing',
          'remove name and labels, or drop: true');
      }
      return;
    }
    if (rule.name === undefined) {
      errors.add(`${at}.name`, rule.name, 'a rule must name the Prometheus metric it makes', 'give a name, e.g. "airflow_task_duration_seconds", or drop: true');
      return;
    }
    if (!METRIC_NAME.test(rule.name)) {
      errors.add(`${at}.name`, rule.name, 'not a Prometheus metric name: letters, digits and "_", not starting with a digit ("$1"… for the parts "*" matched)',
        'e.g. "airflow_task_duration_seconds"');
    }
    const checkReferences = (where: string, value: string) => {
      for (const [, n] of value.matchAll(REFERENCE)) {
        if (Number(n) < 1 || Number(n) > wildcards) {
          errors.add(where, value, `$${n} stands for "*" number ${n} of the match, which has ${wildcards}`, `use $1 to $${Math.max(wildcards, 1)}, one per "*" of the match`);
        }
      }
    };
    checkReferences(`${at}.name`, rule.name);
    for (const [label, value] of Object.entries(rule.labels ?? {})) {
      if (!LABEL_NAME.test(label)) {
        errors.add(`${at}.labels.${label}`, label, 'not a label name statsd_exporter takes: letters, digits and "_", at least two, not starting with a digit',
          'e.g. "dag_id"');
      }
      checkReferences(`${at}.labels.${label}`, value);
    }
    if (!rule.name.includes('$')) {
      const labels = Object.keys(rule.labels ?? {}).sort().join(', ');
      const first = labelSets.get(rule.name);
      if (first !== undefined && first.labels !== labels) {
        errors.add(`${at}.labels`, rule.labels ?? {}, `${first.where} makes ${rule.name} with the labels [${first.labels}]; metrics of one name must have the same label names (statsd_exporter drops the later events as conflicts)`,
          `give ${rule.name} the labels [${first.labels}], or another name`);
      } else if (first === undefined) {
        labelSets.set(rule.name, { labels, where: at });
      }
    }
  });
  // The library's rules that still apply (a rule of the user's with the same match replaces one).
  for (const rule of LIBRARY_MAPPINGS) {
    if (rule.drop || rule.name === undefined || rule.name.includes('$') || seenMatches.has(rule.match)) {
      continue;
    }
    const labels = Object.keys(rule.labels ?? {}).sort().join(', ');
    const user = labelSets.get(rule.name);
    if (user !== undefined && user.labels !== labels) {
      errors.add(`${user.where}.labels`, rules[Number(/\[(\d+)\]$/.exec(user.where)![1])].labels ?? {},
        `the library's rule for "${rule.match}" makes ${rule.name} with the labels [${labels}]; metrics of one name must have the same label names`,
        `give ${rule.name} the labels [${labels}], another name, or replace that rule with one of the same match`);
    }
  }
}
