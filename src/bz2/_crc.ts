/**
 * bzip2's CRC-32: polynomial 0x04C11DB7, most significant bit first (not the
 * reflected zlib variant), initial value and final xor 0xFFFFFFFF.
 *
 * @module
 */

/** Byte-at-a-time table, entry i = CRC of byte i shifted to the top. */
export const CRC_TABLE: Int32Array = (() => {
  const t = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t[i] = c;
  }
  return t;
})();

/** CRC of a whole buffer (used by tests and fixtures; the decoder inlines the loop). */
export function crc32(data: Uint8Array): number {
  let crc = -1;
  for (let i = 0; i < data.length; i++) {
    crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ data[i]) & 0xff];
  }
  return ~crc >>> 0;
}

/** Folds one block CRC into the stream's combined CRC. */
export function combineCrc(combined: number, blockCrc: number): number {
  return (((combined << 1) | (combined >>> 31)) ^ blockCrc) >>> 0;
}

/** Tables for slicing-by-8: entry k, i = CRC of byte i followed by k zero bytes. */
export const CRC_SLICES: readonly Int32Array[] = (() => {
  const t = [CRC_TABLE];
  for (let k = 1; k < 8; k++) {
    const prev = t[k - 1];
    const cur = new Int32Array(256);
    for (let i = 0; i < 256; i++) cur[i] = (prev[i] << 8) ^ CRC_TABLE[prev[i] >>> 24];
    t.push(cur);
  }
  return t;
})();

/** Continues a running (not yet inverted) CRC over data[0, n), eight bytes at a time. */
export function crcUpdate(crc: number, data: Uint8Array, n: number): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = CRC_SLICES;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const a = crc ^ ((data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3]);
    crc = t7[a >>> 24] ^ t6[(a >>> 16) & 0xff] ^ t5[(a >>> 8) & 0xff] ^ t4[a & 0xff] ^
      t3[data[i + 4]] ^ t2[data[i + 5]] ^ t1[data[i + 6]] ^ t0[data[i + 7]];
  }
  return crcBytes(crc, data, i, n);
}

/** The last bytes, one at a time (a separate function: see the note in _block.ts). */
function crcBytes(crc: number, data: Uint8Array, i: number, n: number): number {
  for (; i < n; i++) crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ data[i]) & 0xff];
  return crc;
}
