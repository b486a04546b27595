import { type Marker, scanMagics } from "../../src/bz2/_scan.ts";
import { assertEquals, rng } from "../_assert.ts";

function put48(data: Uint8Array, bit: number, magic: bigint): void {
  for (let k = 0; k < 48; k++) {
    const b = bit + k;
    const v = Number((magic >> BigInt(47 - k)) & 1n);
    data[b >>> 3] = (data[b >>> 3] & ~(0x80 >>> (b & 7))) | (v << (7 - (b & 7)));
  }
}

Deno.test("scanMagics finds block and end magics at every bit offset and chunk split", () => {
  const next = rng(5);
  const data = new Uint8Array(4000);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(next() * 256);
  const want: Marker[] = [];
  // Magics at all 8 alignments, some close together, none overlapping.
  let bit = 13;
  for (let k = 0; k < 40; k++) {
    const eos = k % 3 === 0;
    put48(data, bit, eos ? 0x177245385090n : 0x314159265359n);
    want.push({ bit, eos });
    bit += 48 + 1 + Math.floor(next() * 700);
  }
  const whole: Marker[] = [];
  scanMagics(data, 0, data.length, 0, whole);
  assertEquals(whole, want);
  // As the stream scans: in pieces, each ending 6 bytes before the data seen so far.
  for (const step of [1, 2, 3, 7, 64, 1000]) {
    const found: Marker[] = [];
    let from = 0;
    for (let seen = step; from < data.length; seen += step) {
      const final = seen >= data.length;
      const view = data.subarray(0, Math.min(seen, data.length));
      const to = final ? view.length : view.length - 6;
      if (to > from) {
        scanMagics(view, from, to, 0, found);
        from = to;
      }
      if (final) break;
    }
    assertEquals(found, want, `step ${step}`);
  }
});

Deno.test("scanMagics finds magics on both sides of its kernel's span boundaries", () => {
  // The kernel samples 3 * 349,525 pair starts a call: put magics at every alignment
  // just before, across and after each boundary of a 3.5 MB buffer, and near both ends.
  const next = rng(9);
  const data = new Uint8Array(3_500_000);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(next() * 256);
  const span = 3 * 349_525;
  const want: Marker[] = [];
  const bits: number[] = [8];
  for (let b = 1; b <= 3; b++) {
    for (let d = -9; d <= 2; d++) bits.push((span * b + d) * 8 + ((d + 9) % 8) + 200 * (d + 9));
  }
  bits.push((data.length - 7) * 8 + 3);
  for (const [k, bit] of bits.sort((a, b) => a - b).entries()) {
    const eos = k % 2 === 1;
    put48(data, bit, eos ? 0x177245385090n : 0x314159265359n);
    want.push({ bit, eos });
  }
  // Random bytes may hold a magic by chance (about one in 2^48 per bit): none in this seed.
  const found: Marker[] = [];
  scanMagics(data, 0, data.length, 0, found);
  assertEquals(found, want);
  const shifted: Marker[] = [];
  scanMagics(data, 5, data.length, 64, shifted);
  // From byte 5 on: a magic is found by its word, which starts the byte after its first bit.
  const later = want.filter((m) => Math.floor(m.bit / 8) + 1 >= 5);
  assertEquals(later.length, want.length - 1);
  assertEquals(shifted, later.map((m) => ({ bit: m.bit + 64, eos: m.eos })));
});
