import { Duration } from 'cdk8s';

/**
 * Collects every problem with the input before anything is synthesised, so the user sees all of
 * them at once and no manifest is written from a configuration that cannot work.
 */
export class ValidationErrors {
  private readonly problems: string[] = [];
  private shapeBroken = false;

  /**
   * Records one problem.
   * @param property the prop path as the user wrote it, e.g. `executor.celery.workers.replicas`
   * @param value what the user gave
   * @param problem what is wrong with it
   * @param fix what to do instead
   */
  public add(property: string, value: unknown, problem: string, fix: string): void {
    this.push(`${property}: ${problem} (got ${describe(value)}). Fix: ${fix}`);
  }

  /**
   * One message per problem: a value checked twice (the shape of nested options, by its parent's
   * check and by its own) is reported once.
   */
  private push(...problems: string[]): void {
    for (const problem of problems) {
      if (!this.problems.includes(problem)) {
        this.problems.push(problem);
      }
    }
  }

  /** A collector holding problems already written out (an `AirflowConfigurationError`'s). */
  public static of(problems: readonly string[]): ValidationErrors {
    const errors = new ValidationErrors();
    errors.push(...problems);
    return errors;
  }

  /** Merges problems found by another collector. */
  public addAll(other: ValidationErrors): void {
    this.push(...other.problems);
    this.shapeBroken ||= other.shapeBroken;
  }

  /**
   * Records that a value had the wrong shape (a string where options belong, say): the checks
   * and steps that read it further must not run, and the problems are reported at that point.
   */
  public markShapeBroken(): void {
    this.shapeBroken = true;
  }

  /** Whether a value had the wrong shape: see `markShapeBroken`. */
  public get isShapeBroken(): boolean {
    return this.shapeBroken;
  }

  public get count(): number {
    return this.problems.length;
  }

  /** The problems recorded so far, one line each. */
  public get messages(): readonly string[] {
    return [...this.problems];
  }

  /** Throws one error listing every recorded problem; does nothing when there is none. */
  public throwIfAny(scope: string): void {
    if (this.problems.length === 0) {
      return;
    }
    const lines = this.problems.map((p) => `  - ${p}`).join('\n');
    throw new AirflowConfigurationError(
      `${scope}: ${this.problems.length} problem${this.problems.length === 1 ? '' : 's'} in the configuration:\n${lines}`,
      [...this.problems],
    );
  }
}

/**
 * Thrown at synth time when the props describe a deployment that cannot work. Internal: callers
 * see an `Error` whose message lists every problem; the list itself is kept for the tests.
 */
export class AirflowConfigurationError extends Error {
  constructor(message: string, public readonly problems: string[]) {
    super(message);
    this.name = 'AirflowConfigurationError';
  }
}

/** The largest value of a Kubernetes int32 field (replicas, ports, counts). */
export const INT32_MAX = 2147483647;

/** Records a problem unless `value` is unset or a whole number from `min` to `max` (an int32 by default). */
export function checkWholeNumber(errors: ValidationErrors, property: string, value: number | undefined, min: number, example: number, max = INT32_MAX): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min)) {
    errors.add(property, value, `must be a whole number, ${min} or more`, `e.g. ${example}`);
  } else if (value !== undefined && value > max) {
    errors.add(property, value, `must be at most ${max}`, `e.g. ${example}`);
  }
}

function describe(value: unknown): string {
  if (value === undefined) {
    return 'undefined';
  }
  if (typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return String(value); // NaN, Infinity: JSON would print null
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A duration in seconds, possibly fractional, for checking (cdk8s' toSeconds() throws on fractions). */
export function seconds(duration: Duration): number {
  return duration.toMilliseconds() / 1000;
}

/** Names of Secrets, ConfigMaps, PriorityClasses and most other objects. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/;
/**
 * Names of objects that become DNS labels and must start with a letter: Services (DNS-1035, so
 * every name the release prefixes).
 */
export const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** Namespace names: DNS-1123 labels, which may start with a digit. */
export const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
