// Numbers as Vietnamese text writes them (docs/rules.md): "." groups thousands, "," marks decimals, and a space
// stands before "%": 13.358 hồ sơ, 97,9 %. Written by hand rather than through Intl so that the output does not
// depend on the ICU data a Node build carries.

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** A count: 13358 → "13.358". */
export function formatCount(n: number): string {
  const sign = n < 0 ? '-' : '';
  return sign + groupThousands(String(Math.round(Math.abs(n))));
}

/** A decimal number with a fixed number of digits after the comma: 3.14159, 2 → "3,14". */
export function formatDecimal(x: number, digits = 1): string {
  const fixed = Math.abs(x).toFixed(digits);
  const [whole, fraction] = fixed.split('.');
  const negative = x < 0 && Number(fixed) !== 0;
  return (negative ? '-' : '') + groupThousands(whole) + (fraction ? `,${fraction}` : '');
}

/** A fraction from 0 to 1 as a percentage: 0.97886, 1 → "97,9 %". A missing rate (no denominator) → "–". */
export function formatPercent(fraction: number | null | undefined, digits = 1): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '–';
  return `${formatDecimal(fraction * 100, digits)} %`;
}
