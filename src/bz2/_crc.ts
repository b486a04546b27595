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
