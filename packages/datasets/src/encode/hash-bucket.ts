/**
 * 32-bit FNV-1a over the UTF-16 code units of a string: small, fast and the same on every platform, so
 * hashed features and group ids stay stable between training and serving.
 */
function fnv1a(value: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The hashed index of a categorical value in `[1, buckets]`; 0 stays the missing index. */
export function hashBucket(value: string | undefined, buckets: number): number {
  return value === undefined ? 0 : 1 + (fnv1a(value) % buckets);
}

/** A group id (for GAUC) from a group column's value: its hash as an int32; -1 for a missing value. */
export function groupId(value: string | undefined): number {
  return value === undefined ? -1 : fnv1a(value) | 0;
}
