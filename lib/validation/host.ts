import { isIPv4, isIPv6 } from 'net';
import type { ValidationErrors } from '../validation';

/** A host name of DNS labels: letters, digits and "-" in parts joined by ".", at most 253 characters. */
const DNS_NAME = /^(?=.{1,253}$)[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)*$/;
/** Addresses of the pod itself, where no database or broker listens. */
const LOOPBACK = /^(localhost|localhost\.localdomain|127(\.\d{1,3}){3}|0\.0\.0\.0|::1?|0:0:0:0:0:0:0:[01])$/i;

/**
 * Why `host` cannot be the address of a server outside the pod: not a DNS name, an IPv4 address
 * or an IPv6 address (bare or in brackets), or the pod's own loopback. Undefined when it can.
 */
export function serverHostProblem(host: unknown): 'not a host' | 'loopback' | undefined {
  if (typeof host !== 'string' || host === '') {
    return 'not a host';
  }
  const bare = bareHost(host);
  const ipv6 = isIPv6(bare);
  // Four dotted numbers are an IPv4 address or nothing: 999.1.1.1 is not a host name.
  const looksIpv4 = /^\d+(\.\d+){3}$/.test(bare);
  if (!ipv6 && (looksIpv4 ? !isIPv4(bare) : !DNS_NAME.test(bare) || bare !== host)) {
    return 'not a host';
  }
  return LOOPBACK.test(bare) ? 'loopback' : undefined;
}

/** The host as a URL carries it: an IPv6 address in brackets, anything else as it is. */
export function urlHost(host: string): string {
  const bare = bareHost(host);
  return isIPv6(bare) ? `[${bare}]` : host;
}

/** The host without URL brackets, as key/value connection strings and `DB_HOST` take it. */
export function bareHost(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * Records the problems of the address of a server outside the pod (a database, a broker): a
 * host that is none, or is the pod itself, and a port out of range.
 * @param server what it is, e.g. `the database server`
 * @param example a Service-like name, e.g. `postgres.db`, and the usual port
 */
export function validateServerAddress(errors: ValidationErrors, property: string, address: { readonly host: unknown; readonly port?: unknown },
  server: string, example: { readonly name: string; readonly port: number }): void {
  const problem = serverHostProblem(address.host);
  if (problem === 'not a host') {
    errors.add(`${property}.host`, address.host, 'not a host name or an IP address', `give the server's DNS name, e.g. "${example.name.split('.')[0]}.example.internal", or its address`);
  } else if (problem === 'loopback') {
    errors.add(`${property}.host`, address.host, `inside a pod this is the pod itself, not ${server}`,
      `give a name the pods can resolve: a Service ("${example.name}.svc.cluster.local") or the server's DNS name or IP`);
  }
  const port = address.port;
  if (port !== undefined && (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)) {
    errors.add(`${property}.port`, port, 'not a TCP port', `e.g. ${example.port}`);
  }
}
