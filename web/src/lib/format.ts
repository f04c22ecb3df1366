/** Number formatting without Intl: the first `toLocaleString()` call loads ICU data (tens of ms on a slow CPU). */

/** 12345 → "12,345". */
export function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
