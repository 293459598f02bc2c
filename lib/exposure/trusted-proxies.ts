import { isIP } from 'net';
import type { ValidationErrors } from '../validation';
import type { AirflowVersion } from '../version';

/** Trust the forwarded headers of any client that reaches the UI server. */
export const ANY_PROXY = '*';

/**
 * The proxies whose `X-Forwarded-*` headers the UI server trusts: `['*']` by default when an
 * Ingress or HTTPRoute puts a proxy in front of it (the controller's pod addresses are not known
 * at synth), none otherwise. Behind a proxy that terminates TLS, the server otherwise sees plain
 * `http` and writes `http://` redirects and OAuth callback URLs.
 */
export function resolveTrustedProxies(configured: readonly string[] | undefined, hasRoutes: boolean): readonly string[] {
  return configured ?? (hasRoutes ? [ANY_PROXY] : []);
}

/**
 * `trustedProxies` as each Airflow line can apply it. Airflow 3 passes `--proxy-headers` to
 * uvicorn, which trusts the addresses in `FORWARDED_ALLOW_IPS` (single addresses or networks
 * since uvicorn 0.31). Airflow 2 has werkzeug's ProxyFix behind `[webserver] enable_proxy_fix`,
 * which trusts the last hop by count and has no address list, so only `['*']` or `[]` mean anything.
 */
export function validateTrustedProxies(errors: ValidationErrors, property: string, value: unknown, version: AirflowVersion): void {
  if (value === undefined) {
    return;
  }
  if (!Array.isArray(value)) {
    errors.add(property, value, 'a list of proxy addresses', "e.g. ['10.0.0.0/8'], ['*'] for any, or [] for none");
    return;
  }
  value.forEach((entry, i) => {
    if (typeof entry !== 'string' || (entry !== ANY_PROXY && addressProblem(entry) !== undefined)) {
      errors.add(`${property}[${i}]`, entry, typeof entry === 'string' ? addressProblem(entry)! : 'not a string',
        "an IPv4 or IPv6 address or network, e.g. '10.0.0.0/8', or '*' for any");
    }
  });
  if (value.includes(ANY_PROXY) && value.length > 1) {
    errors.add(property, value.join(','), "'*' trusts every address, so the other entries mean nothing", "give either ['*'] or the addresses alone");
  }
  if (!version.isAirflow3 && value.length > 0 && !(value.length === 1 && value[0] === ANY_PROXY)) {
    errors.add(property, value.join(','), `Airflow ${version}'s webserver trusts forwarded headers through ProxyFix ([webserver] enable_proxy_fix), which has no address list`,
      "use ['*'] to trust the proxy in front of it, or [] to ignore forwarded headers");
  }
}

/** Why `entry` is not an IP address or network as Python's `ipaddress.ip_network` reads it, or undefined. */
function addressProblem(entry: string): string | undefined {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) {
    return 'not an IP address or network';
  }
  if (prefix === undefined) {
    return undefined;
  }
  const bits = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > bits) {
    return `the prefix length must be 0-${bits}`;
  }
  return hostBitsSet(address, family, Number(prefix)) ? 'has host bits set (a network address is needed, e.g. 10.0.0.0/8)' : undefined;
}

/**
 * Whether an address has bits set past the prefix: uvicorn reads each entry with
 * `ipaddress.ip_network(host)`, strict by default, which raises ValueError at start-up for
 * e.g. `10.0.0.1/8`.
 */
function hostBitsSet(address: string, family: number, prefix: number): boolean {
  const bytes = family === 4 ? address.split('.').map(Number) : ipv6Bytes(address);
  return bytes.some((byte, i) => {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    return (byte & (0xff >> keep)) !== 0;
  });
}

/** The 16 bytes of a valid IPv6 address (with `::` and an optional dotted IPv4 tail). */
function ipv6Bytes(address: string): number[] {
  const tail = address.includes('.') ? address.slice(address.lastIndexOf(':') + 1) : undefined;
  const head = tail === undefined ? address : address.slice(0, address.lastIndexOf(':') + 1) + '0:0';
  const [left, right] = head.includes('::') ? head.split('::') : [head, undefined];
  const groups = (part: string | undefined): string[] => (part === undefined || part === '' ? [] : part.split(':'));
  const l = groups(left);
  const r = groups(right);
  const words = [...l, ...Array(8 - l.length - r.length).fill('0'), ...r].map((w) => parseInt(w, 16));
  const bytes = words.flatMap((w) => [w >> 8, w & 0xff]);
  if (tail !== undefined) {
    bytes.splice(12, 4, ...tail.split('.').map(Number));
  }
  return bytes;
}
