// The inlined wasm builds are hex strings, not base64: gzip and brotli find the repeats of the
// wasm's bytes (its unrolled loops repeat the same instruction runs) at any byte offset in hex,
// where base64's three-bytes-to-four-characters packing hides every repeat that does not start
// at the same offset modulo 3. Measured on the simd build (268 KB): base64 64.2 KB gzipped
// (44.3 KB brotli), hex 45.7 KB (29.2 KB brotli), the raw bytes 39.6 KB (26.7 KB brotli).

/**
 * The bytes of a lowercase hex string (two characters per byte, as `scripts/inline-wasm.mjs`
 * writes it). A character's value is `(c & 15) + 9 * (c >> 6)`: '0'–'9' are 0x30–0x39 (the low
 * nibble, c >> 6 = 0) and 'a'–'f' are 0x61–0x66 (the low nibble plus 9, c >> 6 = 1); no branch,
 * about 0.5 ms for the simd build, as fast as `atob` and its copy loop were.
 */
export function decodeHex(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length >> 1);
  for (let i = 0, j = 0; i < bytes.length; i++, j += 2) {
    const high = hex.charCodeAt(j);
    const low = hex.charCodeAt(j + 1);
    bytes[i] = (((high & 15) + 9 * (high >> 6)) << 4) | ((low & 15) + 9 * (low >> 6));
  }
  return bytes;
}
