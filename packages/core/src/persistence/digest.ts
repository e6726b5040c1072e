/**
 * The SHA-256 of bytes as lowercase hex, through Web Crypto (browsers, Node ≥ 19), so the same checksum code
 * verifies a model read from disk or fetched over HTTP.
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  // The runtime lacks Web Crypto: an environment problem, not the user's input (plain Error).
  if (!subtle) throw new Error('checksums need Web Crypto (crypto.subtle); use Node 20+ or a browser over https/localhost');
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
