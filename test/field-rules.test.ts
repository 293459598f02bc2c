import { ValidationErrors } from '../lib/validation';
import { cronProblem } from '../lib/validation/cron';
import { digestProblem, parseImageReference, repositoryProblem, tagProblem } from '../lib/validation/image-reference';
import {
  annotationKeyProblem, annotationsSizeProblem, configMapKeyProblem, dns1035LabelProblem, dns1123LabelProblem,
  dns1123SubdomainProblem, envVarNameProblem, int32Problem, labelKeyProblem, labelValueProblem,
  nodeSelectorRequirementProblem, portProblem, pullPolicyProblem, tolerationProblem,
} from '../lib/validation/kubernetes-names';

const HEX64 = '0123456789abcdef'.repeat(4);
const HEX96 = '0123456789abcdef'.repeat(6);
const HEX128 = '0123456789abcdef'.repeat(8);
const DNS_LABEL = 'must be a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit';
const DNS_SUBDOMAIN = 'must be a DNS-1123 subdomain: lower-case letters, digits and "-", starting and ending with a letter or digit, in parts joined by "."';
const QUALIFIED = 'must consist of letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
const LABEL_VALUE = 'must be empty or letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
const ENV_VAR = 'must consist of letters, digits, "_", "-" and ".", and not start with a digit';
const PATH_COMPONENT = 'is not valid: use lower-case letters and digits, separated by ".", "_", "__" or dashes, starting and ending with a letter or digit';
const DIGEST_FORMAT = 'is not <algorithm>:<hex digits>, e.g. "sha256:" and 64 hex digits';

/** [what is checked, the problem function applied to one input, the exact problem] */
const bad: Array<[string, () => string | undefined, string]> = [
  // cron: what robfig/cron ParseStandard rejects
  ['empty schedule', () => cronProblem(''), 'the schedule is empty'],
  ['minute 60', () => cronProblem('60 * * * *'), 'field 1 (minute) "60" is outside 0-59'],
  ['hour 24', () => cronProblem('0 24 * * *'), 'field 2 (hour) "24" is outside 0-23'],
  ['day of month 32', () => cronProblem('0 0 32 * *'), 'field 3 (day of month) "32" is outside 1-31'],
  ['day of month 0', () => cronProblem('0 0 0 * *'), 'field 3 (day of month) "0" is outside 1-31'],
  ['month 13', () => cronProblem('0 0 1 13 *'), 'field 4 (month) "13" is outside 1-12'],
  ['day of week 7 (Sunday is 0 in robfig/cron)', () => cronProblem('0 0 * * 7'), 'field 5 (day of week) "7" is outside 0-6 (Sunday is 0 or SUN)'],
  ['range end out of bounds', () => cronProblem('0 0 5-40 * *'), 'field 3 (day of month) "5-40": 40 is outside 1-31'],
  ['number past int64', () => cronProblem('99999999999999999999 * * * *'), 'field 1 (minute) "99999999999999999999" is outside 0-59'],
  ['a word as a minute', () => cronProblem('x * * * *'), 'field 1 (minute) "x" is not a number'],
  ['half-open range', () => cronProblem('1-x * * * *'), 'field 1 (minute) "1-x": "x" is not a number'],
  ['unknown month name', () => cronProblem('0 0 1 foo *'), 'field 4 (month) "foo" is not a number or a month name (JAN-DEC)'],
  ['full day name', () => cronProblem('0 0 * * monday'), 'field 5 (day of week) "monday" is not a number or a day name (SUN-SAT)'],
  ['step 0', () => cronProblem('*/0 * * * *'), 'field 1 (minute) "*/0": the step must be at least 1'],
  ['negative step', () => cronProblem('*/-5 * * * *'), 'field 1 (minute) "*/-5": the step must be at least 1'],
  ['missing step', () => cronProblem('*/ * * * *'), 'field 1 (minute) "*/": the step "" is not a number'],
  ['two hyphens', () => cronProblem('1-2-3 * * * *'), 'field 1 (minute) "1-2-3" has more than one "-"'],
  ['two slashes', () => cronProblem('*/2/3 * * * *'), 'field 1 (minute) "*/2/3" has more than one "/"'],
  ['backwards range (no wrap-around)', () => cronProblem('0 22-2 * * *'), 'field 2 (hour) "22-2": the range runs backwards (22 is after 2)'],
  ['six fields (seconds)', () => cronProblem('0 0 0 * * *'), 'expected 5 fields (minute, hour, day of month, month, day of week), found 6'],
  ['four fields', () => cronProblem('0 0 * *'), 'expected 5 fields (minute, hour, day of month, month, day of week), found 4'],
  ['space before a descriptor', () => cronProblem(' @daily'), 'expected 5 fields (minute, hour, day of month, month, day of week), found 1'],
  ['descriptor in capitals', () => cronProblem('@Daily'),
    'unknown descriptor "@Daily": use @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or @every <duration>'],
  ['unknown descriptor', () => cronProblem('@fortnightly'),
    'unknown descriptor "@fortnightly": use @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or @every <duration>'],
  ['@every without a unit', () => cronProblem('@every 90'), '"@every 90": "90" is not a Go duration such as 1h30m (missing unit)'],
  ['@every with an unknown unit', () => cronProblem('@every 1d'), '"@every 1d": "1d" is not a Go duration such as 1h30m (unknown unit "d")'],
  ['@every with spaces in the duration', () => cronProblem('@every 1h 30m'), '"@every 1h 30m": "1h 30m" is not a Go duration such as 1h30m (unknown unit "h ")'],
  ['TZ prefix', () => cronProblem('TZ=UTC 0 3 * * *'), 'cannot use TZ or CRON_TZ in the schedule: set the CronJob\'s timeZone field instead'],
  ['CRON_TZ prefix', () => cronProblem('CRON_TZ=Europe/Paris 0 3 * * *'), 'cannot use TZ or CRON_TZ in the schedule: set the CronJob\'s timeZone field instead'],
  // cron: accepted by Kubernetes, but never fires
  ['30 February', () => cronProblem('0 0 30 2 *'), 'never fires: day 30 does not exist in February'],
  ['31st of the 30-day months', () => cronProblem('0 0 31 4,6,9,11 *'), 'never fires: day 31 does not exist in April, June, September or November'],
  ['30 and 31 February', () => cronProblem('0 0 30,31 2 *'), 'never fires: days 30 and 31 do not exist in February'],
  ['31 February with "*/1" days of the week (still a star)', () => cronProblem('0 0 31 2 */1'), 'never fires: day 31 does not exist in February'],
  ['an empty list', () => cronProblem('0 0 , * *'), 'never fires: field 3 (day of month) "," selects no value'],

  // image references
  ['repository with a tag', () => repositoryProblem('apache/airflow:3.1.7'),
    'the repository contains a tag (":3.1.7"): give the repository without it and the tag separately'],
  ['repository with a digest', () => repositoryProblem(`apache/airflow@sha256:${HEX64}`),
    `the repository contains a digest ("@sha256:${HEX64}"): give the repository without it`],
  ['registry port without a path', () => repositoryProblem('localhost:5000'),
    'the repository contains a tag (":5000"): give the repository without it and the tag separately (a registry port must be followed by "/" and a path)'],
  ['upper-case repository', () => repositoryProblem('Apache/airflow'), 'the repository path "Apache/airflow" must be lower case'],
  ['empty repository', () => repositoryProblem(''), 'the repository is empty'],
  ['doubled slash', () => repositoryProblem('apache//airflow'), 'the repository has an empty path component (a leading, trailing or doubled "/")'],
  ['triple underscore', () => repositoryProblem('apache/air___flow'), `the path component "air___flow" ${PATH_COMPONENT}`],
  ['path component starting with "-"', () => repositoryProblem('apache/-airflow'), `the path component "-airflow" ${PATH_COMPONENT}`],
  ['registry with "_"', () => repositoryProblem('my_registry.com:5000/airflow'),
    'the registry "my_registry.com:5000" is not a host name or IPv4 address with an optional ":port"'],
  ['IPv6 registry (1.27 kubelets)', () => repositoryProblem('[::1]:5000/airflow'),
    'the registry "[::1]:5000" is not a host name or IPv4 address with an optional ":port" (Kubernetes 1.27 kubelets do not read bracketed IPv6 registries)'],
  ['Docker Hub name of 256 characters as normalised', () => repositoryProblem('a'.repeat(238)),
    'the image name has 256 characters as the kubelet reads it ("docker.io/library/aaaaaa…"); at most 255 are allowed'],
  ['bare image ID', () => repositoryProblem(HEX64), 'the repository is a bare 64-hex-digit image ID, not a repository name'],
  ['tag starting with "."', () => tagProblem('.1'), 'the tag starts with "."; it must start with a letter, digit or "_"'],
  ['tag with "+"', () => tagProblem('1.0+build'), 'the tag contains "+"; tags may contain only letters, digits, "_", "." and "-"'],
  ['tag of 129 characters', () => tagProblem('a'.repeat(129)), 'the tag has 129 characters; at most 128 are allowed'],
  ['empty tag', () => tagProblem(''), 'the tag is empty'],
  ['digest given as a tag', () => tagProblem(`sha256:${HEX64}`), `the tag "sha256:${HEX64}" is a digest: give it after "@", not ":"`],
  ['sha256 digest of 63 digits', () => digestProblem(`sha256:${HEX64.slice(1)}`), 'a sha256 digest has 64 hex digits, this one has 63'],
  ['sha512 digest of 64 digits', () => digestProblem(`sha512:${HEX64}`), 'a sha512 digest has 128 hex digits, this one has 64'],
  ['upper-case hex', () => digestProblem(`sha256:${HEX64.toUpperCase()}`), 'the sha256 digest must be lower-case hex digits (0-9, a-f)'],
  ['md5 digest', () => digestProblem(`md5:${HEX64.slice(0, 32)}`), 'the digest algorithm "md5" is not supported: use sha256, sha384 or sha512'],
  ['digest without algorithm', () => digestProblem(HEX64), `the digest "${HEX64}" ${DIGEST_FORMAT}`],
  ['reference with two tags', () => problemOf(parseImageReference('apache/airflow:3.1.7:slim')),
    'the tag contains ":"; tags may contain only letters, digits, "_", "." and "-"'],
  ['reference with a short digest', () => problemOf(parseImageReference('apache/airflow@sha256:abc')), 'a sha256 digest has 64 hex digits, this one has 3'],
  ['reference with whitespace around it', () => problemOf(parseImageReference(' apache/airflow:3.1.7')),
    'the image reference has leading or trailing whitespace'],
  ['reference with an upper-case path', () => problemOf(parseImageReference('apache/Airflow:3.1.7')), 'the repository path "apache/Airflow" must be lower case'],

  // Kubernetes names
  ['label with a capital', () => dns1123LabelProblem('Airflow'), `${DNS_LABEL} ("A" is not allowed)`],
  ['label starting with "-"', () => dns1123LabelProblem('-airflow'), `${DNS_LABEL} (it starts with "-")`],
  ['label ending with "-"', () => dns1123LabelProblem('airflow-'), `${DNS_LABEL} (it ends with "-")`],
  ['label with a dot', () => dns1123LabelProblem('air.flow'), 'must not contain dots'],
  ['label of 64 characters', () => dns1123LabelProblem('a'.repeat(64)), 'must be no more than 63 characters (has 64)'],
  ['empty label', () => dns1123LabelProblem(''), `${DNS_LABEL} (it is empty)`],
  ['label of 64 bytes in 63 characters', () => dns1123LabelProblem(`${'a'.repeat(62)}é`),
    `must be no more than 63 characters (has 64); ${DNS_LABEL} ("é" is not allowed)`],
  ['subdomain of 254 characters', () => dns1123SubdomainProblem('a'.repeat(254)), 'must be no more than 253 characters (has 254)'],
  ['subdomain with a doubled dot', () => dns1123SubdomainProblem('a..b'), `${DNS_SUBDOMAIN} (it has an empty part (a leading, trailing or doubled "."))`],
  ['subdomain part ending with "-"', () => dns1123SubdomainProblem('airflow-.example'), `${DNS_SUBDOMAIN} (the part "airflow-" ends with "-")`],
  ['DNS-1035 label starting with a digit', () => dns1035LabelProblem('1airflow'),
    'must be a DNS-1035 label: lower-case letters, digits and "-", starting with a letter and ending with a letter or digit (it starts with "1")'],
  ['ConfigMap key ".."', () => configMapKeyProblem('..'), 'must not be ".."'],
  ['ConfigMap key starting with ".."', () => configMapKeyProblem('..data'), 'must not start with ".."'],
  ['ConfigMap key with "/"', () => configMapKeyProblem('dags/x.py'), 'must consist of letters, digits, "-", "_" and "." ("/" is not allowed)'],
  ['ConfigMap key of 254 characters', () => configMapKeyProblem('k'.repeat(254)), 'must be no more than 253 characters (has 254)'],
  ['label key with two slashes', () => labelKeyProblem('a/b/c'),
    'must be a name with an optional DNS subdomain prefix and one "/", e.g. "example.com/my-name"; this has more than one "/"'],
  ['label key with an empty prefix', () => labelKeyProblem('/name'), 'the prefix before "/" must not be empty'],
  ['label key with an upper-case prefix', () => labelKeyProblem('Example.com/name'), `the prefix "Example.com" ${DNS_SUBDOMAIN} ("E" is not allowed)`],
  ['label key name of 64 characters', () => labelKeyProblem(`example.com/${'n'.repeat(64)}`),
    `the name "${'n'.repeat(32)}…" must be no more than 63 characters (has 64)`],
  ['label key ending with "."', () => labelKeyProblem('app.'), `${QUALIFIED} (it ends with ".")`],
  ['annotation key with "_" in the prefix', () => annotationKeyProblem('my_org.com/owner'), `the prefix "my_org.com" ${DNS_SUBDOMAIN} ("_" is not allowed)`],
  ['annotations over 256 KiB', () => annotationsSizeProblem({ a: 'x'.repeat(256 * 1024) }), 'annotations add up to 262145 bytes; at most 262144 (256 KiB) are allowed'],
  ['label value of 64 characters', () => labelValueProblem('v'.repeat(64)), 'must be no more than 63 characters (has 64)'],
  ['label value with a space', () => labelValueProblem('two words'), `${LABEL_VALUE} (" " is not allowed)`],
  ['env var starting with a digit', () => envVarNameProblem('1PASSWORD'), `${ENV_VAR} (it starts with a digit)`],
  ['env var with "="', () => envVarNameProblem('A=B'), `${ENV_VAR} ("=" is not allowed)`],
  ['env var "."', () => envVarNameProblem('.'), 'must not be "."'],
  ['int32 overflow', () => int32Problem(2147483648), 'must be a whole number from -2147483648 to 2147483647 (a 32-bit integer), not 2147483648'],
  ['int32 fraction', () => int32Problem(1.5), 'must be a whole number from -2147483648 to 2147483647 (a 32-bit integer), not 1.5'],
  ['port 0', () => portProblem(0), 'must be a whole number from 1 to 65535, not 0'],
  ['port 65536', () => portProblem(65536), 'must be a whole number from 1 to 65535, not 65536'],
  ['toleration with empty key and Equal', () => tolerationProblem({ operator: 'Equal', value: 'x' }),
    'operator must be Exists when key is empty (an empty key with Exists tolerates every taint)'],
  ['toleration Exists with a value', () => tolerationProblem({ key: 'dedicated', operator: 'Exists', value: 'airflow' }),
    'value must be empty when operator is Exists'],
  ['toleration seconds without NoExecute', () => tolerationProblem({ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 60 }),
    'tolerationSeconds is only allowed with effect NoExecute'],
  ['toleration with an unknown operator', () => tolerationProblem({ key: 'k', operator: 'In', value: 'v' }), 'operator "In" is not supported: use Equal or Exists'],
  ['toleration with an unknown effect', () => tolerationProblem({ key: 'k', operator: 'Exists', effect: 'NoAdmit' }),
    'effect "NoAdmit" is not supported: use NoSchedule, PreferNoSchedule or NoExecute, or leave it empty for every effect'],
  ['toleration with a bad key and value', () => tolerationProblem({ key: 'bad key', value: '-v' }),
    `key: ${QUALIFIED} (" " is not allowed); value: ${LABEL_VALUE} (it starts with "-")`],
  ['node selector In without values', () => nodeSelectorRequirementProblem({ key: 'pool', operator: 'In', values: [] }), 'values must not be empty when operator is In'],
  ['node selector Exists with values', () => nodeSelectorRequirementProblem({ key: 'pool', operator: 'Exists', values: ['a'] }), 'values must be empty when operator is Exists'],
  ['node selector Gt with two values', () => nodeSelectorRequirementProblem({ key: 'cpu', operator: 'Gt', values: ['1', '2'] }), 'operator Gt needs exactly one value, not 2'],
  ['node selector Lt with a word', () => nodeSelectorRequirementProblem({ key: 'cpu', operator: 'Lt', values: ['four'] }),
    'the value of operator Lt must be a whole number; the scheduler cannot compare "four", so the term matches no node'],
  ['node selector with an unknown operator', () => nodeSelectorRequirementProblem({ key: 'pool', operator: 'Equals', values: ['a'] }),
    'operator "Equals" is not supported: use In, NotIn, Exists, DoesNotExist, Gt or Lt'],
  ['node selector with an empty key', () => nodeSelectorRequirementProblem({ key: '', operator: 'Exists' }), 'key: must not be empty'],
  ['node selector value that is no label value', () => nodeSelectorRequirementProblem({ key: 'pool', operator: 'In', values: ['a b'] }),
    `value "a b": ${LABEL_VALUE} (" " is not allowed); the scheduler cannot read it, so the term matches no node`],
  ['pull policy in lower case', () => pullPolicyProblem('always'), 'image pull policy "always" is not supported: use Always, IfNotPresent or Never'],
  ['empty pull policy', () => pullPolicyProblem(''), 'image pull policy "" is not supported: use Always, IfNotPresent or Never'],
];

/** [what is checked, the problem function applied to one valid input] */
const good: Array<[string, () => string | undefined]> = [
  // cron
  ['every minute', () => cronProblem('* * * * *')],
  ['every 15 minutes', () => cronProblem('*/15 * * * *')],
  ['@hourly', () => cronProblem('@hourly')],
  ['@annually', () => cronProblem('@annually')],
  ['@every with hours and minutes', () => cronProblem('@every 1h30m')],
  ['@every with a fraction', () => cronProblem('@every 1.5h')],
  ['29 February (leap years)', () => cronProblem('0 0 29 2 *')],
  ['31 February or any Monday in February (day fields OR-ed)', () => cronProblem('0 0 31 2 1')],
  ['31 February or every other weekday ("*/2" is no star)', () => cronProblem('0 0 31 2 */2')],
  ['"?" in the day of month', () => cronProblem('0 3 ? * MON-FRI')],
  ['names in any case', () => cronProblem('0 0 1 jan-Mar,DEC sun')],
  ['"a/n" means a-max/n', () => cronProblem('5/15 * * * *')],
  ['range with a step', () => cronProblem('0 8-18/2 * * 1-5')],
  ['step beyond the range', () => cronProblem('*/61 * * * *')],
  ['tabs and repeated spaces', () => cronProblem('0\t0  1 * *')],
  ['day 31 in months that have it', () => cronProblem('0 0 31 */2 *')],
  // image references
  ['Docker Hub repository', () => repositoryProblem('apache/airflow')],
  ['one-component repository', () => repositoryProblem('airflow')],
  ['registry with a port', () => repositoryProblem('registry.example.com:5000/team/airflow')],
  ['localhost registry with a port', () => repositoryProblem('localhost:5000/x')],
  ['upper-case registry host', () => repositoryProblem('Registry.Example.com/team/airflow')],
  ['separators "__", "--" and "."', () => repositoryProblem('my__org/air--flow.v2')],
  ['name of 255 characters as normalised', () => repositoryProblem(`team/${'a'.repeat(240)}`)],
  ['tag of 128 characters', () => tagProblem('a'.repeat(128))],
  ['tag starting with "_"', () => tagProblem('_3.1.7-python3.12')],
  ['sha256 digest', () => digestProblem(`sha256:${HEX64}`)],
  ['sha384 digest', () => digestProblem(`sha384:${HEX96}`)],
  ['sha512 digest', () => digestProblem(`sha512:${HEX128}`)],
  // Kubernetes names
  ['namespace starting with a digit', () => dns1123LabelProblem('1st-team')],
  ['label of 63 characters', () => dns1123LabelProblem('a'.repeat(63))],
  ['subdomain of 253 characters', () => dns1123SubdomainProblem(`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`)],
  ['subdomain label longer than 63 (not limited per label)', () => dns1123SubdomainProblem('a'.repeat(100))],
  ['ConfigMap key with a leading dot', () => configMapKeyProblem('.airflowignore')],
  ['ConfigMap key of 253 characters', () => configMapKeyProblem('K'.repeat(253))],
  ['label key with a prefix', () => labelKeyProblem('app.kubernetes.io/name')],
  ['label key with a 253-character prefix and 63-character name', () => labelKeyProblem(`${'p'.repeat(253)}/${'n'.repeat(63)}`)],
  ['annotation key with an upper-case prefix', () => annotationKeyProblem('Example.COM/Owner')],
  ['annotations of exactly 256 KiB', () => annotationsSizeProblem({ a: 'x'.repeat(256 * 1024 - 1) })],
  ['empty label value', () => labelValueProblem('')],
  ['label value of 63 characters', () => labelValueProblem('V'.repeat(63))],
  ['env var with "__" and "."', () => envVarNameProblem('AIRFLOW__CORE__LOAD_EXAMPLES')],
  ['env var starting with "-" or "."', () => envVarNameProblem('.config-dir')],
  ['int32 minimum', () => int32Problem(-2147483648)],
  ['port 65535', () => portProblem(65535)],
  ['toleration of every taint', () => tolerationProblem({ operator: 'Exists' })],
  ['toleration with the default operator', () => tolerationProblem({ key: 'dedicated', value: 'airflow', effect: 'NoSchedule' })],
  ['NoExecute toleration with seconds', () => tolerationProblem({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 })],
  ['node selector In', () => nodeSelectorRequirementProblem({ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] })],
  ['node selector DoesNotExist', () => nodeSelectorRequirementProblem({ key: 'spot', operator: 'DoesNotExist' })],
  ['node selector Gt', () => nodeSelectorRequirementProblem({ key: 'cpu-count', operator: 'Gt', values: ['4'] })],
  ['pull policy IfNotPresent', () => pullPolicyProblem('IfNotPresent')],
];

function problemOf(result: ReturnType<typeof parseImageReference>): string | undefined {
  return 'problem' in result ? result.problem : undefined;
}

describe('field rules', () => {
  test('the tables are large enough', () => {
    expect(bad.length).toBeGreaterThanOrEqual(60);
    expect(good.length).toBeGreaterThanOrEqual(25);
  });

  test.each(bad)('rejects %s', (_what, check, message) => {
    expect(check()).toBe(message);
  });

  test.each(good)('accepts %s', (_what, check) => {
    expect(check()).toBeUndefined();
  });
});

describe('parseImageReference', () => {
  test.each([
    ['apache/airflow:3.1.7', { repository: 'apache/airflow', tag: '3.1.7' }],
    ['airflow', { repository: 'airflow' }],
    ['registry.example.com:5000/team/airflow:3.1.7', { repository: 'registry.example.com:5000/team/airflow', tag: '3.1.7' }],
    ['localhost:5000/x', { repository: 'localhost:5000/x' }],
    // Without "/", "localhost:5000" is the repository "localhost" with the tag "5000".
    ['localhost:5000', { repository: 'localhost', tag: '5000' }],
    [`apache/airflow@sha256:${HEX64}`, { repository: 'apache/airflow', digest: `sha256:${HEX64}` }],
    [`apache/airflow:3.1.7@sha256:${HEX64}`, { repository: 'apache/airflow', tag: '3.1.7', digest: `sha256:${HEX64}` }],
  ])('splits %s', (ref, expected) => {
    expect(parseImageReference(ref)).toEqual(expected);
  });

  test('a split reference passes the separate checks', () => {
    const parsed = parseImageReference('registry.example.com:5000/team/airflow:3.1.7');
    expect('problem' in parsed).toBe(false);
    if (!('problem' in parsed)) {
      expect(repositoryProblem(parsed.repository)).toBeUndefined();
      expect(tagProblem(parsed.tag!)).toBeUndefined();
    }
  });

  test('pathological input is rejected quickly', () => {
    const start = Date.now();
    for (const ref of ['a.'.repeat(5000) + '!', 'a-'.repeat(5000) + '!', 'a'.repeat(20000) + '/', `${'a1'.repeat(5000)}-`]) {
      expect(problemOf(parseImageReference(ref))).toBeDefined();
    }
    expect(Date.now() - start).toBeLessThan(1000);
  });
});

test('lib/validation.ts still resolves beside the lib/validation/ folder', () => {
  expect(typeof ValidationErrors).toBe('function');
});
