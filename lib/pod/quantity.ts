/**
 * Kubernetes quantities in canonical form: the form the API server stores and returns (`1`, not
 * `1000m`; `1Gi`, not `1024Mi`). Writing that form keeps server-side diffs of Argo CD or Flux
 * empty; a non-canonical value shows as a change on every sync.
 */

const BINARY: ReadonlyArray<[string, bigint]> = [['Ei', 2n ** 60n], ['Pi', 2n ** 50n], ['Ti', 2n ** 40n], ['Gi', 2n ** 30n], ['Mi', 2n ** 20n], ['Ki', 2n ** 10n]];
/** Decimal suffixes in nano-units. */
const DECIMAL: ReadonlyArray<[string, bigint]> = [
  ['E', 10n ** 27n], ['P', 10n ** 24n], ['T', 10n ** 21n], ['G', 10n ** 18n], ['M', 10n ** 15n], ['k', 10n ** 12n],
  ['', 10n ** 9n], ['m', 10n ** 6n], ['u', 10n ** 3n], ['n', 1n],
];
const QUANTITY = /^(\d+)(?:\.(\d+))?(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;

interface Parsed {
  /** The amount in bytes (binary) or nano-units (decimal). */
  readonly amount: bigint;
  readonly binary: boolean;
}

function parse(quantity: string): Parsed | undefined {
  const match = QUANTITY.exec(quantity);
  if (match === null) {
    return undefined;
  }
  const [, whole, fraction = '', suffix = ''] = match;
  const binary = suffix.endsWith('i');
  const unit = (binary ? BINARY : DECIMAL).find(([s]) => s === suffix)![1];
  const scale = 10n ** BigInt(fraction.length);
  const scaled = (BigInt(whole) * scale + BigInt(fraction || '0')) * unit;
  if (scaled % scale !== 0n) {
    return undefined; // finer than the smallest unit
  }
  return { amount: scaled / scale, binary };
}

/** The value of a quantity in bytes or nano-units, for comparisons; undefined when it is not one this library writes. */
export function quantityValue(quantity: string): bigint | undefined {
  const parsed = parse(quantity);
  return parsed && (parsed.binary ? parsed.amount * 10n ** 9n : parsed.amount);
}

/** The canonical form of a quantity; a string this parser does not know is returned unchanged. */
export function canonicalQuantity(quantity: string): string {
  const parsed = parse(quantity);
  if (parsed === undefined) {
    return quantity;
  }
  if (parsed.amount === 0n) {
    return '0';
  }
  if (parsed.binary) {
    const [suffix, unit] = BINARY.find(([, u]) => parsed.amount % u === 0n) ?? ['', 1n];
    return `${parsed.amount / unit}${suffix}`;
  }
  const [suffix, unit] = DECIMAL.find(([, u]) => parsed.amount % u === 0n)!;
  return `${parsed.amount / unit}${suffix}`;
}
