import type { ResolvedAirflowProps } from '../airflow-props';
import type { HttpRouteOptions, IngressOptions } from './options';
import { resolveTrustedProxies } from './trusted-proxies';

/** The routes to one web UI: an Ingress, an HTTPRoute, or both. */
export interface HttpExposure {
  readonly ingress?: IngressOptions;
  readonly httpRoute?: HttpRouteOptions;
}

/** Where users reach a UI, as its routes say. */
export interface RouteLocation {
  /** `<scheme>://<first host><path>`, without a trailing "/" (Airflow 2 refuses one). */
  readonly baseUrl: string;
  /** The path prefix: `''` for `/`, else e.g. `/airflow` (no trailing "/"). */
  readonly basePath: string;
  /** The prop that decides it, e.g. `apiServer.ingress`. */
  readonly owner: string;
}

/**
 * The location the routes of a UI give, from the Ingress when there is one (both routes must then
 * serve the same path, which the validation checks), else from the HTTPRoute; undefined without
 * routes. Tolerates options that failed validation (it runs before the problems are thrown).
 * @param property the prop path of the component's options, e.g. `apiServer`
 */
export function routeLocation(property: string, exposure: HttpExposure | undefined): RouteLocation | undefined {
  const { ingress, httpRoute } = exposure ?? {};
  if (ingress !== undefined) {
    return location(`${property}.ingress`, ingress.https ?? ingress.tlsSecretName !== undefined, ingress.hosts, ingress.path);
  }
  if (httpRoute !== undefined) {
    return location(`${property}.httpRoute`, httpRoute.https ?? true, httpRoute.hostnames, httpRoute.path);
  }
  return undefined;
}

function location(owner: string, https: boolean, hosts: readonly string[] | undefined, path: string | undefined): RouteLocation {
  const basePath = normalisedPath(path);
  const host = Array.isArray(hosts) && typeof hosts[0] === 'string' ? hosts[0] : 'localhost';
  return { baseUrl: `${https ? 'https' : 'http'}://${host}${basePath}`, basePath, owner };
}

/** `''` for `/` (or nothing), else the path without a trailing "/". */
export function normalisedPath(path: string | undefined): string {
  return path === undefined || path === '/' ? '' : path.replace(/\/+$/, '');
}

/**
 * The path of a base URL written in `config` (`https://example.com/airflow` -> `/airflow`), as
 * Airflow reads it: the path of `urlsplit(base_url)` without its trailing "/" (Airflow 3:
 * airflow-core/src/airflow/api_fastapi/app.py L44-47, `API_ROOT_PATH`; Airflow 2:
 * airflow/www/extensions/init_wsgi_middlewares.py, `init_wsgi_middleware`).
 */
export function basePathOf(baseUrl: string): string {
  try {
    return normalisedPath(new URL(baseUrl, 'http://localhost').pathname);
  } catch {
    return '';
  }
}

/** Where the UI server is reached, for `airflow.cfg` and its probes. */
export interface UiLocation {
  /** The UI server's routes, when it has any: the library then writes the base URL from them. */
  readonly route?: RouteLocation;
  /**
   * The path the UI server serves under (`''` or e.g. `/airflow`): the routes', else that of a
   * base URL set in `config` (for an Ingress of your own).
   */
  readonly basePath: string;
  /**
   * The proxies whose forwarded headers the UI server trusts (`trustedProxies`, by default `*`
   * with routes and none without): `[]` leaves the headers ignored.
   */
  readonly trustedProxies: readonly string[];
}

/** The UI server's location: `apiServer` routes on Airflow 3, `webserver` routes on Airflow 2. */
export function uiLocation(props: Pick<ResolvedAirflowProps, 'version' | 'apiServer' | 'webserver' | 'config'>): UiLocation {
  const isAirflow3 = props.version.isAirflow3;
  const property = isAirflow3 ? 'apiServer' : 'webserver';
  const route = routeLocation(property, props[property]);
  const trustedProxies = resolveTrustedProxies(props[property]?.trustedProxies, route !== undefined);
  if (route !== undefined) {
    return { route, basePath: route.basePath, trustedProxies };
  }
  const configured = props.config?.[isAirflow3 ? 'api' : 'webserver']?.base_url;
  return { basePath: typeof configured === 'string' ? basePathOf(configured) : '', trustedProxies };
}
