/**
 * An Apache Airflow release. A typed value rather than a free string: the library decides what
 * to render (components, config sections) by comparing versions, never by string matching.
 */
export class AirflowVersion {
  /** The release the reference deployment pins; the official Helm chart 1.19 defaults to it. */
  public static readonly V3_1_7 = AirflowVersion.of('3.1.7');

  /** The oldest Airflow 3 release. */
  public static readonly V3_0_0 = AirflowVersion.of('3.0.0');

  /** The last Airflow 2 feature release, and the oldest release this library deploys. */
  public static readonly V2_11_0 = AirflowVersion.of('2.11.0');

  /**
   * Parses `MAJOR.MINOR.PATCH`, e.g. `3.1.7`.
   * @throws when the text is not a release number
   */
  public static of(version: string): AirflowVersion {
    const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
    if (!match) {
      throw new Error(
        `AirflowVersion.of: "${version}" is not an Airflow release number. Fix: give MAJOR.MINOR.PATCH, e.g. "3.1.7".`,
      );
    }
    return new AirflowVersion(Number(match[1]), Number(match[2]), Number(match[3]));
  }

  private constructor(
    public readonly major: number,
    public readonly minor: number,
    public readonly patch: number,
  ) {}

  /** Negative, zero or positive as this release is older than, equal to or newer than `other`. */
  public compare(other: AirflowVersion): number {
    return this.major - other.major || this.minor - other.minor || this.patch - other.patch;
  }

  public isAtLeast(other: AirflowVersion): boolean {
    return this.compare(other) >= 0;
  }

  /** Airflow 3 and later: API server instead of webserver, DAG processor always separate. */
  public get isAirflow3(): boolean {
    return this.major >= 3;
  }

  /**
   * Why the library cannot deploy this release, if it cannot: it knows the configuration of
   * Airflow 2.11 and of Airflow 3 only.
   */
  public problems(): string[] {
    if (this.major === 2 && this.minor < 11 || this.major < 2) {
      return [`Airflow ${this} is older than 2.11, the oldest release this library deploys`];
    }
    if (this.major === 2 && this.minor > 11 || this.major > 3) {
      return [`Airflow ${this} is not a release line this library knows (2.11 and 3.x)`];
    }
    return [];
  }

  public toString(): string {
    return `${this.major}.${this.minor}.${this.patch}`;
  }
}
