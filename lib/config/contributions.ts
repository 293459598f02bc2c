import type * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import type { ConfigValue } from './airflow-options.generated';
import { AirflowEnvironment, EnvAudience } from './environment';
import type { PodFile } from './files';
import type { ServiceConnection } from '../network/traffic';

/** `airflow.cfg` as section -> option -> value. */
export type ConfigSections = Record<string, Record<string, ConfigValue>>;

/** The environment variable Airflow reads an option from: `AIRFLOW__<SECTION>__<OPTION>`. */
export function configEnvName(section: string, option: string): string {
  return `AIRFLOW__${section.toUpperCase().replace(/\./g, '_')}__${option.toUpperCase()}`;
}

/**
 * What the library configures, as the parts of the deployment contribute it: options written to
 * `airflow.cfg`, options set through the environment from Secrets, and who owns each option (the
 * prop that decides it, which a user override is sent to instead).
 */
export class ConfigContributions {
  public readonly file: ConfigSections = {};
  /** `section.option` -> the prop that decides it. */
  public readonly owners = new Map<string, string>();
  /** [section, option] of each option set through the environment. */
  public readonly fromEnvironment: Array<readonly [string, string]> = [];
  /** Files Airflow reads besides `airflow.cfg`, each mounted into the pods that read it. */
  public readonly files: PodFile[] = [];
  /** Services outside the output that pods connect to (an external database or broker), for the NetworkPolicies. */
  public readonly connections: ServiceConnection[] = [];
  private readonly env = new Map<EnvAudience, k8s.EnvVar[]>();

  /** Writes an option that follows from `owner`, a prop or a fixed fact of the deployment; users cannot override it. */
  public set(section: string, option: string, value: ConfigValue, owner: string): void {
    (this.file[section] ??= {})[option] = value;
    this.owners.set(`${section}.${option}`, owner);
  }

  /**
   * Marks an option that `owner` decides on a command line instead (a flag of one component's
   * command, so that changing it rolls only that component): users cannot set it in `config`.
   */
  public claim(section: string, option: string, owner: string): void {
    this.owners.set(`${section}.${option}`, owner);
  }

  /** Writes a default that `config` may override. */
  public setDefault(section: string, option: string, value: ConfigValue): void {
    (this.file[section] ??= {})[option] = value;
  }

  /**
   * Sets an option through its `AIRFLOW__…` variable in the containers of `audience`, for values
   * that come from Secrets (directly, or as a URL assembled from an earlier variable).
   */
  public setFromEnvironment(audience: EnvAudience, section: string, option: string, value: Omit<k8s.EnvVar, 'name'>, owner: string): void {
    this.addEnvironment(audience, { name: configEnvName(section, option), ...value });
    this.fromEnvironment.push([section, option]);
    this.owners.set(`${section}.${option}`, owner);
  }

  /** Adds variables that options set through the environment refer to. */
  public addEnvironment(audience: EnvAudience, ...variables: k8s.EnvVar[]): void {
    const list = this.env.get(audience) ?? [];
    list.push(...variables);
    this.env.set(audience, list);
  }

  /** Adds a file that Airflow reads from a fixed path (`webserver_config.py`, a CA certificate). */
  public addFile(file: PodFile): void {
    this.files.push(file);
  }

  /** Records a service outside the output that the URL just written points the pods at. */
  public connectsTo(connection: ServiceConnection): void {
    this.connections.push(connection);
  }

  public environment(): AirflowEnvironment {
    return new AirflowEnvironment(this.env);
  }
}
