import { Lazy } from 'cdk8s';

/**
 * A value computed when the object that holds it is synthesised, after every construct has been
 * added and every escape-hatch patch applied, typed as the value it produces.
 */
export function lazy<T>(produce: () => T): T {
  return Lazy.any({ produce }) as T;
}
