/**
 * Parses a plain decimal number (`-1`, `2.5`, `.5`, `1e-3`), or returns NaN. Stricter than `Number()`,
 * which would read `""` as 0 and `"0x1f"` as 31, so a malformed value is reported instead of misread.
 * Values out of the float range (`1e400`) are NaN too.
 */
export function parseDecimal(text: string): number {
  const n = text.length;
  let i = 0;
  let c = text.charCodeAt(0);
  if (c === 43 || c === 45) c = text.charCodeAt(++i); // + -
  let digits = 0;
  while (c >= 48 && c <= 57) {
    digits++;
    c = text.charCodeAt(++i);
  }
  if (c === 46) {
    // .
    c = text.charCodeAt(++i);
    while (c >= 48 && c <= 57) {
      digits++;
      c = text.charCodeAt(++i);
    }
  }
  if (digits === 0) return NaN;
  if (c === 101 || c === 69) {
    // e E
    c = text.charCodeAt(++i);
    if (c === 43 || c === 45) c = text.charCodeAt(++i);
    let exponentDigits = 0;
    while (c >= 48 && c <= 57) {
      exponentDigits++;
      c = text.charCodeAt(++i);
    }
    if (exponentDigits === 0) return NaN;
  }
  if (i !== n) return NaN;
  const value = Number(text);
  return Number.isFinite(value) ? value : NaN;
}
