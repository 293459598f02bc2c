/**
 * CronJob schedules, checked exactly as Kubernetes checks them, plus the schedules it accepts that
 * can never fire.
 *
 * What the API server accepts (k8s.io/kubernetes pkg/apis/batch/validation/validation.go,
 * `validateScheduleFormat`): `cron.ParseStandard(schedule)` from github.com/robfig/cron/v3 (v3.0.1;
 * parser.go `Parse`, `normalizeFields`, `getField`, `getRange`, `parseIntOrName`, `mustParseInt`,
 * `parseDescriptor`; spec.go `bounds`), and, when creating a CronJob, no "TZ" anywhere in the
 * schedule ("cannot use TZ or CRON_TZ in schedule, use timeZone field instead"). The CronJob
 * controller parses the schedule with the same `cron.ParseStandard`.
 *
 * Kubernetes versions: the TZ rejection on create is kubernetes/kubernetes PR #116252, released in
 * 1.29; 1.22 to 1.28 accept `TZ=`/`CRON_TZ=` prefixes with only a warning. The prefix was never
 * supported (the `timeZone` field is, GA in 1.27), so it is reported here for every version.
 *
 * What fires (robfig/cron spec.go `dayMatches`): when the day-of-month or the day-of-week field
 * holds a `*` or `?` (without a step above 1), a day must match both fields; when neither does, a
 * day matching either one fires. So `0 0 31 2 1` fires on every Monday in February, while
 * `0 0 30 2 *` never fires.
 */

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
  readonly namesHint?: string;
}

const MONTH_NAMES: Readonly<Record<string, number>> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};
const DAY_NAMES: Readonly<Record<string, number>> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

/** robfig/cron spec.go `minutes`, `hours`, `dom`, `months`, `dow`, in the order of a standard spec. */
const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES, namesHint: 'a month name (JAN-DEC)' },
  { name: 'day of week', min: 0, max: 6, names: DAY_NAMES, namesHint: 'a day name (SUN-SAT)' },
];

const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** Longest month, counting 29 February (leap years). */
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Go's `unicode.IsSpace`, which `strings.Fields` splits on. */
const GO_SPACE = /[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+/;

const INT64_MAX = (BigInt(1) << BigInt(63)) - BigInt(1);
const INT64_MIN = -(BigInt(1) << BigInt(63));

/** A parsed field: the values it selects, and whether it holds a `*`/`?` (robfig's `starBit`). */
interface FieldValues {
  readonly values: Set<number>;
  readonly star: boolean;
}

/**
 * Why Kubernetes would reject this CronJob schedule, or why it can never fire; `undefined` when it
 * is accepted and fires.
 */
export function cronProblem(schedule: string): string | undefined {
  if (schedule === '') {
    return 'the schedule is empty';
  }
  if (schedule.includes('TZ')) {
    return 'cannot use TZ or CRON_TZ in the schedule: set the CronJob\'s timeZone field instead';
  }
  if (schedule.startsWith('@')) {
    return descriptorProblem(schedule);
  }
  const fields = schedule.split(GO_SPACE).filter((f) => f !== '');
  if (fields.length !== 5) {
    return `expected 5 fields (minute, hour, day of month, month, day of week), found ${fields.length}`;
  }
  const parsed: FieldValues[] = [];
  for (let i = 0; i < 5; i++) {
    const result = parseField(fields[i], FIELDS[i], i + 1);
    if (typeof result === 'string') {
      return result;
    }
    parsed.push(result);
  }
  return neverFiresProblem(fields, parsed);
}

/** robfig/cron parser.go `parseDescriptor`: exact, case-sensitive names, and `@every <Go duration>`. */
function descriptorProblem(descriptor: string): string | undefined {
  if (DESCRIPTORS.includes(descriptor)) {
    return undefined;
  }
  const every = '@every ';
  if (descriptor.startsWith(every)) {
    const duration = descriptor.slice(every.length);
    const problem = goDurationProblem(duration);
    return problem === undefined ? undefined : `"${descriptor}": ${JSON.stringify(duration)} is not a Go duration such as 1h30m (${problem})`;
  }
  return `unknown descriptor ${JSON.stringify(descriptor)}: use ${DESCRIPTORS.join(', ')} or @every <duration>`;
}

/** One comma-separated field: robfig/cron parser.go `getField` (empty list items are skipped). */
function parseField(field: string, spec: FieldSpec, position: number): FieldValues | string {
  const values = new Set<number>();
  let star = false;
  for (const expr of field.split(',').filter((e) => e !== '')) {
    const range = parseRange(expr, spec, `field ${position} (${spec.name})`);
    if (typeof range === 'string') {
      return range;
    }
    for (let v = range.start; v <= range.end; v += range.step) {
      values.add(v);
    }
    star = star || range.star;
  }
  return { values, star };
}

interface Range {
  readonly start: number;
  readonly end: number;
  readonly step: number;
  readonly star: boolean;
}

/** robfig/cron parser.go `getRange`: `*`, `?`, `n`, `a-b`, each with an optional `/step`. */
function parseRange(expr: string, spec: FieldSpec, where: string): Range | string {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  const at = `${where} ${JSON.stringify(expr)}`;
  let start: bigint;
  let end: bigint;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    // robfig ignores anything after "*-" here, so "*-5" means "*".
    start = BigInt(spec.min);
    end = BigInt(spec.max);
    star = true;
  } else {
    const low = parseIntOrName(lowAndHigh[0], spec, at, expr);
    if (typeof low === 'string') {
      return low;
    }
    start = low;
    if (lowAndHigh.length === 1) {
      end = start;
    } else if (lowAndHigh.length === 2) {
      const high = parseIntOrName(lowAndHigh[1], spec, at, expr);
      if (typeof high === 'string') {
        return high;
      }
      end = high;
    } else {
      return `${at} has more than one "-"`;
    }
  }

  let step = BigInt(1);
  if (rangeAndStep.length === 2) {
    const parsed = parseGoUint(rangeAndStep[1]);
    if (parsed === 'not a number') {
      return `${at}: the step ${JSON.stringify(rangeAndStep[1])} is not a number`;
    }
    if (parsed === 'too large') {
      return `${at}: the step ${JSON.stringify(rangeAndStep[1])} is too large`;
    }
    if (parsed === 'negative' || parsed === BigInt(0)) {
      return `${at}: the step must be at least 1`;
    }
    step = parsed;
    // "a/n" means "a-max/n".
    if (lowAndHigh.length === 1) {
      end = BigInt(spec.max);
    }
    if (step > BigInt(1)) {
      star = false;
    }
  } else if (rangeAndStep.length > 2) {
    return `${at} has more than one "/"`;
  }

  for (const value of [start, end]) {
    if (value < BigInt(spec.min) || value > BigInt(spec.max)) {
      const sunday = spec.name === 'day of week' && value === BigInt(7) ? ' (Sunday is 0 or SUN)' : '';
      const range = `${spec.min}-${spec.max}${sunday}`;
      return expr === value.toString() ? `${at} is outside ${range}` : `${at}: ${value} is outside ${range}`;
    }
  }
  if (start > end) {
    return `${at}: the range runs backwards (${start} is after ${end})`;
  }
  // A step past the end selects the start alone.
  const span = end - start + BigInt(1);
  return { start: Number(start), end: Number(end), step: Number(step > span ? span : step), star };
}

/** robfig/cron parser.go `parseIntOrName`: a case-insensitive name where the field has names, else a number. */
function parseIntOrName(token: string, spec: FieldSpec, at: string, expr: string): bigint | string {
  if (spec.names !== undefined) {
    const name = goToLower(token);
    if (Object.prototype.hasOwnProperty.call(spec.names, name)) {
      return BigInt(spec.names[name]);
    }
  }
  const parsed = parseGoUint(token);
  if (parsed === 'not a number') {
    const what = spec.namesHint === undefined ? 'a number' : `a number or ${spec.namesHint}`;
    return token === expr ? `${at} is not ${what}` : `${at}: ${JSON.stringify(token)} is not ${what}`;
  }
  if (parsed === 'negative') {
    return `${at}: ${JSON.stringify(token)} is negative`;
  }
  if (parsed === 'too large') {
    return token === expr ? `${at} is outside ${spec.min}-${spec.max}` : `${at}: ${token} is outside ${spec.min}-${spec.max}`;
  }
  return parsed;
}

/** robfig/cron parser.go `mustParseInt`: Go's `strconv.Atoi` (optional sign, ASCII digits, int64), then no negatives. */
function parseGoUint(token: string): bigint | 'not a number' | 'negative' | 'too large' {
  if (!/^[+-]?[0-9]+$/.test(token)) {
    return 'not a number';
  }
  const value = BigInt(token.startsWith('+') ? token.slice(1) : token);
  if (value > INT64_MAX || value < INT64_MIN) {
    return 'too large';
  }
  return value < BigInt(0) ? 'negative' : value;
}

/** Go's `strings.ToLower` for what can reach ASCII: U+0130 lowers to "i" in Go, to "i̇" in JavaScript. */
function goToLower(s: string): string {
  return s.replace(/\u0130/g, 'i').toLowerCase();
}

/**
 * Whether any minute of any day can match: robfig/cron spec.go `Next` and `dayMatches`. Every
 * (month, day) pair falls on each day of the week in some year, 29 February included.
 */
function neverFiresProblem(fields: string[], parsed: FieldValues[]): string | undefined {
  const [minute, hour, dom, month, dow] = parsed;
  for (const i of [0, 1, 3]) {
    if (parsed[i].values.size === 0) {
      return `never fires: field ${i + 1} (${FIELDS[i].name}) ${JSON.stringify(fields[i])} selects no value`;
    }
  }
  const andDays = dom.star || dow.star;
  let fires = false;
  for (const m of month.values) {
    for (let d = 1; d <= DAYS_IN_MONTH[m - 1] && !fires; d++) {
      for (let w = 0; w <= 6 && !fires; w++) {
        const domMatch = dom.values.has(d);
        const dowMatch = dow.values.has(w);
        fires = andDays ? domMatch && dowMatch : domMatch || dowMatch;
      }
    }
  }
  if (fires && minute.values.size > 0 && hour.values.size > 0) {
    return undefined;
  }
  for (const i of [2, 4]) {
    if (parsed[i].values.size === 0) {
      return `never fires: field ${i + 1} (${FIELDS[i].name}) ${JSON.stringify(fields[i])} selects no value`;
    }
  }
  // What is left: every day of the week is allowed, and no chosen day exists in a chosen month.
  const days = [...dom.values].sort((a, b) => a - b);
  const months = [...month.values].sort((a, b) => a - b).map((m) => MONTHS[m - 1]);
  const dayList = days.length === 1 ? `day ${days[0]} does` : `days ${list(days.map(String), 'and')} do`;
  return `never fires: ${dayList} not exist in ${list(months, 'or')}`;
}

function list(items: string[], conjunction: string): string {
  return items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

const NANOS_PER_UNIT: Readonly<Record<string, bigint>> = {
  'ns': BigInt(1),
  'us': BigInt(1000),
  '\u00B5s': BigInt(1000),
  '\u03BCs': BigInt(1000),
  'ms': BigInt(1000000),
  's': BigInt(1000000000),
  'm': BigInt(60) * BigInt(1000000000),
  'h': BigInt(3600) * BigInt(1000000000),
};

/**
 * Go's `time.ParseDuration` (src/time/format.go): an optional sign, then one or more decimal
 * numbers, each with a unit (ns, us, µs, ms, s, m, h); "0" alone needs no unit. Returns why it is
 * not one. A zero or negative `@every` is accepted by robfig/cron (`Every` rounds it up to 1s).
 */
function goDurationProblem(text: string): string | undefined {
  let s = text;
  if (s.startsWith('-') || s.startsWith('+')) {
    s = s.slice(1);
  }
  if (s === '0') {
    return undefined;
  }
  if (s === '') {
    return 'empty';
  }
  const limit = BigInt(1) << BigInt(63);
  let total = BigInt(0);
  while (s !== '') {
    const number = /^([0-9]*)(\.([0-9]*))?/.exec(s)!;
    const whole = number[1];
    const fraction = number[3] ?? '';
    if (whole === '' && fraction === '') {
      return 'expected a number';
    }
    s = s.slice(number[0].length);
    const unitMatch = /^[^0-9.]*/.exec(s)![0];
    if (unitMatch === '') {
      return 'missing unit';
    }
    const unit = NANOS_PER_UNIT[unitMatch];
    if (unit === undefined) {
      return `unknown unit ${JSON.stringify(unitMatch)}`;
    }
    s = s.slice(unitMatch.length);
    const v = BigInt(whole === '' ? '0' : whole);
    if (v > limit / unit) {
      return 'out of range';
    }
    let nanos = v * unit;
    if (fraction !== '') {
      // Go keeps the fraction's digits that fit and scales them in floating point.
      nanos += BigInt(Math.floor(Number(`0.${fraction}`) * Number(unit)));
    }
    total += nanos;
    if (nanos > limit || total > limit) {
      return 'out of range';
    }
  }
  if (!text.startsWith('-') && total > limit - BigInt(1)) {
    return 'out of range';
  }
  return undefined;
}
