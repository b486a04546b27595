;; The bzip2 decoder's hottest loop, in WebAssembly: Huffman symbols -> RUNA/RUNB runs and
;; move-to-front -> the BWT last column (tt's low bytes). It mirrors the loop it replaced
;; in _block.ts; there one symbol cost ~20 ns, mostly typed-array bounds checks and a 32-bit
;; bit buffer refilled every symbol (here the buffer holds 64 bits). Refills and the
;; move-to-front step avoid data-dependent branches, which mispredict on every few symbols;
;; the list moves with 128-bit SIMD (which every x86-64 and ARM64 V8 supports).
;;
;; The JS side parses the block header and builds the tables straight into this memory,
;; through views at the offsets exported below (the one place they are defined). The
;; memory never grows, so those views stay valid.
;;
;; link, walk and rle1 are the loops of the inverse BWT and the final run-length step;
;; the walk's bookkeeping (where its pieces start and how they join) stays in JS.
;;
;; Build: `deno task build:wasm` writes _symbols_wasm.ts; a test checks it is current.
(module
  (memory (export "memory") 281 281)
  ;; Int32 x 900000: BWT column byte, later the inverse-BWT link above it.
  (global (export "TT") i32 (i32.const 0))
  ;; Int32 x 6 x 4096: (symbol << 5) | code length for 12-bit prefixes, 0 for longer codes.
  (global (export "LUT") i32 (i32.const 3600000))
  ;; Int32 x 6 x 21 each: canonical codes by length.
  (global (export "FIRST") i32 (i32.const 3698304))
  (global (export "LCOUNT") i32 (i32.const 3698808))
  (global (export "LOFF") i32 (i32.const 3699312))
  ;; Int32 x 6: longest code of each group.
  (global (export "MAXLEN") i32 (i32.const 3699816))
  ;; Int32 x 6 x 258: symbols in canonical order.
  (global (export "PERM") i32 (i32.const 3699840))
  ;; Int32 x 256: how often each byte occurs in the block.
  (global (export "COUNTS") i32 (i32.const 3706032))
  ;; Uint8 x 256, 16-aligned: the move-to-front list (byte values).
  (global (export "MTF") i32 (i32.const 3707056))
  ;; Uint8 x 18002: the group of each run of 50 symbols.
  (global (export "SEL") i32 (i32.const 3707312))
  ;; Int32: bit position after the last symbol read, relative to DATA.
  (global (export "STATE") i32 (i32.const 3725320))
  ;; The compressed bytes, from the first byte not yet in the bit buffer, then 32 bytes the
  ;; symbol loop pads them with.
  (global (export "DATA") i32 (i32.const 3725336))
  (global (export "DATA_MAX") i32 (i32.const 2375968))
  ;; Uint8 x 900000: the block in text order, before the final run-length step.
  (global (export "PRE") i32 (i32.const 6101336))
  ;; Uint8 x 4 MB (MAX_OUT): the block's output.
  (global (export "OUT") i32 (i32.const 7001336))
  ;; (rle1 may store up to 16 bytes past OUT's 4 MB.)
  ;; Int32 x 8 each: the inverse-BWT lanes' positions in tt and offsets in LANEBUF.
  (global (export "LANEPOS") i32 (i32.const 11195680))
  (global (export "LANEOUT") i32 (i32.const 11195712))
  ;; Int32 x 8 x 256: the CRC's slicing tables (see _crc.ts).
  (global (export "CRCT") i32 (i32.const 11195904))
  ;; Uint8 x 8 x 900000: what each lane walked.
  (global (export "LANEBUF") i32 (i32.const 11206656))

  ;; `code`, unless the reader (byte bp, cnt bits held) has gone past endBit: then -1, "cut
  ;; short". Every way out of the symbol loop but the per-group check decides by it.
  (func $orCutShort (param $code i32) (param $bp i32) (param $cnt i32) (param $endBit i32)
    (result i32)
    (select (i32.const -1) (local.get $code)
      (i32.gt_s (i32.sub (i32.shl (local.get $bp) (i32.const 3)) (local.get $cnt))
        (local.get $endBit))))

  ;; Returns the block's length before the final run-length step, or
  ;; -1: the block runs past endBit (cut short), -2: selector overflow,
  ;; -3: bad Huffman code, -4: run too long, -5: block too long.
  (func (export "symbols")
    (param $len i32) (param $buf0 i32) (param $cnt0 i32) (param $endBit i32)
    (param $nInUse i32) (param $nSelectors i32) (result i32)
    (local $bp i32) (local $buf i64) (local $cnt i32) (local $nblock i32)
    (local $run i32) (local $runN i32) (local $groupNo i32) (local $k i32)
    (local $g i32) (local $lutBase i32) (local $lenBase i32) (local $e i32)
    (local $sym i32) (local $v i32) (local $l i32) (local $d i32) (local $maxL i32)
    (local $j i32) (local $p i32) (local $end i32) (local $eob i32) (local $result i32)
    (local $need i32) (local $js v128) (local $cur v128) (local $prev v128) (local $lanes v128)
    (local.set $cnt (local.get $cnt0))
    (local.set $buf
      (i64.and
        (i64.extend_i32_u (local.get $buf0))
        (i64.sub (i64.shl (i64.const 1) (i64.extend_i32_u (local.get $cnt0))) (i64.const 1))))
    (local.set $eob (i32.add (local.get $nInUse) (i32.const 1)))
    ;; Zeros for 8 bytes past the data (further on, every read is past endBit), then the
    ;; data in big-endian 32-bit words, 16 bytes at a time, so that a refill is one load.
    (i64.store offset=3725336 (local.get $len) (i64.const 0))
    (block $swapped
      (loop $swap
        (br_if $swapped (i32.ge_u (local.get $p) (i32.add (local.get $len) (i32.const 8))))
        (v128.store offset=3725336 (local.get $p)
          (i8x16.swizzle (v128.load offset=3725336 (local.get $p))
            (v128.const i8x16 3 2 1 0 7 6 5 4 11 10 9 8 15 14 13 12)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $swap)))
    (local.set $runN (i32.const 1))
    (block $exit
      (loop $group
        (if (i32.ge_u (local.get $groupNo) (local.get $nSelectors))
          (then
            (local.set $result
              (call $orCutShort (i32.const -2) (local.get $bp) (local.get $cnt) (local.get $endBit)))
            (br $exit)))
        (local.set $g (i32.load8_u offset=3707312 (local.get $groupNo)))
        (local.set $groupNo (i32.add (local.get $groupNo) (i32.const 1)))
        (local.set $lutBase (i32.add (i32.const 3600000) (i32.shl (local.get $g) (i32.const 14))))
        (local.set $lenBase (i32.mul (local.get $g) (i32.const 84)))
        (local.set $k (i32.const 50))
        (block $groupEnd
          (loop $sym
            ;; At least 32 bits (codes are at most 20), without a branch: when short,
            ;; append the next word.
            (local.set $need (i32.lt_u (local.get $cnt) (i32.const 32)))
            (local.set $buf
              (select
                (i64.or (i64.shl (local.get $buf) (i64.const 32))
                  (i64.load32_u offset=3725336 (local.get $bp)))
                (local.get $buf)
                (local.get $need)))
            (local.set $cnt (i32.add (local.get $cnt) (i32.shl (local.get $need) (i32.const 5))))
            (local.set $bp (i32.add (local.get $bp) (i32.shl (local.get $need) (i32.const 2))))
            (local.set $e
              (i32.load
                (i32.add (local.get $lutBase)
                  (i32.shl
                    (i32.and
                      (i32.wrap_i64
                        (i64.shr_u (local.get $buf)
                          (i64.extend_i32_u (i32.sub (local.get $cnt) (i32.const 12)))))
                      (i32.const 4095))
                    (i32.const 2)))))
            (if (local.get $e)
              (then
                (local.set $cnt (i32.sub (local.get $cnt) (i32.and (local.get $e) (i32.const 31))))
                (local.set $sym (i32.shr_u (local.get $e) (i32.const 5))))
              (else
                ;; Codes longer than 12 bits: canonical search by length.
                (local.set $v
                  (i32.and
                    (i32.wrap_i64
                      (i64.shr_u (local.get $buf)
                        (i64.extend_i32_u (i32.sub (local.get $cnt) (i32.const 20)))))
                    (i32.const 0xfffff)))
                (local.set $maxL (i32.load offset=3699816 (i32.shl (local.get $g) (i32.const 2))))
                (local.set $sym (i32.const -1))
                (local.set $l (i32.const 13))
                (block $found
                  (loop $byLength
                    (br_if $found (i32.gt_s (local.get $l) (local.get $maxL)))
                    (local.set $p (i32.add (local.get $lenBase) (i32.shl (local.get $l) (i32.const 2))))
                    (local.set $d
                      (i32.sub
                        (i32.shr_u (local.get $v) (i32.sub (i32.const 20) (local.get $l)))
                        (i32.load offset=3698304 (local.get $p))))
                    (if (i32.lt_u (local.get $d) (i32.load offset=3698808 (local.get $p)))
                      (then
                        (local.set $sym
                          (i32.load offset=3699840
                            (i32.shl
                              (i32.add
                                (i32.add (i32.mul (local.get $g) (i32.const 258))
                                  (i32.load offset=3699312 (local.get $p)))
                                (local.get $d))
                              (i32.const 2))))
                        (local.set $cnt (i32.sub (local.get $cnt) (local.get $l)))
                        (br $found)))
                    (local.set $l (i32.add (local.get $l) (i32.const 1)))
                    (br $byLength)))
                (if (i32.lt_s (local.get $sym) (i32.const 0))
                  (then
                    (local.set $result
                      (call $orCutShort (i32.const -3) (local.get $bp)
                        (i32.sub (local.get $cnt) (i32.const 20)) (local.get $endBit)))
                    (br $exit)))))
            (if (i32.le_u (local.get $sym) (i32.const 1))
              (then
                ;; RUNA/RUNB: bijective base-2 digits of a repeat count of the front byte.
                (local.set $run
                  (i32.add (local.get $run) (i32.shl (local.get $runN) (local.get $sym))))
                (local.set $runN (i32.shl (local.get $runN) (i32.const 1)))
                (if (i32.gt_u (local.get $runN) (i32.const 0x200000))
                  (then
                    (local.set $result
                      (call $orCutShort (i32.const -4) (local.get $bp) (local.get $cnt) (local.get $endBit)))
                    (br $exit)))
                (local.set $k (i32.sub (local.get $k) (i32.const 1)))
                (br_if $sym (local.get $k))
                (br $groupEnd)))
            (if (local.get $run)
              (then
                (local.set $v (i32.load8_u offset=3707056 (i32.const 0)))
                (if (i32.gt_u (i32.add (local.get $nblock) (local.get $run)) (i32.const 900000))
                  (then
                    (local.set $result
                      (call $orCutShort (i32.const -5) (local.get $bp) (local.get $cnt) (local.get $endBit)))
                    (br $exit)))
                (local.set $p (i32.shl (local.get $v) (i32.const 2)))
                (i32.store offset=3706032 (local.get $p)
                  (i32.add (i32.load offset=3706032 (local.get $p)) (local.get $run)))
                (local.set $p (i32.shl (local.get $nblock) (i32.const 2)))
                (local.set $end (i32.add (local.get $p) (i32.shl (local.get $run) (i32.const 2))))
                (loop $repeat
                  (i32.store (local.get $p) (local.get $v))
                  (local.set $p (i32.add (local.get $p) (i32.const 4)))
                  (br_if $repeat (i32.lt_u (local.get $p) (local.get $end))))
                (local.set $nblock (i32.add (local.get $nblock) (local.get $run)))
                (local.set $run (i32.const 0))
                (local.set $runN (i32.const 1))))
            (if (i32.eq (local.get $sym) (local.get $eob))
              (then
                (local.set $result
                  (call $orCutShort (local.get $nblock) (local.get $bp) (local.get $cnt) (local.get $endBit)))
                (br $exit)))
            ;; Move-to-front of byte j = sym - 1, 16 list bytes at a time: in each block of
            ;; 16, lanes up to j take the byte before them (lane 0 the previous block's last,
            ;; or the moved byte), the others stay. The first 64 bytes are done without a
            ;; branch: j is below 64 for about 95% of symbols, and a branch on it mispredicts.
            (local.set $j (i32.sub (local.get $sym) (i32.const 1)))
            (local.set $v (i32.load8_u offset=3707056 (local.get $j)))
            (local.set $js (i8x16.splat (local.get $j)))
            (local.set $prev (i8x16.splat (local.get $v)))
            (local.set $cur (v128.load offset=3707056 (i32.const 0)))
            (v128.store offset=3707056 (i32.const 0)
              (v128.bitselect (i8x16.shuffle 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 (local.get $prev) (local.get $cur))
                (local.get $cur)
                (i8x16.le_u (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15) (local.get $js))))
            (local.set $prev (local.get $cur))
            (local.set $cur (v128.load offset=3707072 (i32.const 0)))
            (v128.store offset=3707072 (i32.const 0)
              (v128.bitselect (i8x16.shuffle 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 (local.get $prev) (local.get $cur))
                (local.get $cur)
                (i8x16.le_u (v128.const i8x16 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31) (local.get $js))))
            (local.set $prev (local.get $cur))
            (local.set $cur (v128.load offset=3707088 (i32.const 0)))
            (v128.store offset=3707088 (i32.const 0)
              (v128.bitselect (i8x16.shuffle 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 (local.get $prev) (local.get $cur))
                (local.get $cur)
                (i8x16.le_u (v128.const i8x16 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47) (local.get $js))))
            (local.set $prev (local.get $cur))
            (local.set $cur (v128.load offset=3707104 (i32.const 0)))
            (v128.store offset=3707104 (i32.const 0)
              (v128.bitselect (i8x16.shuffle 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 (local.get $prev) (local.get $cur))
                (local.get $cur)
                (i8x16.le_u (v128.const i8x16 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63) (local.get $js))))
            (local.set $prev (local.get $cur))
            (if (i32.ge_u (local.get $j) (i32.const 64))
              (then
                (local.set $p (i32.const 64))
                (local.set $lanes (v128.const i8x16 64 65 66 67 68 69 70 71 72 73 74 75 76 77 78 79))
                (loop $blocks
                  (local.set $cur (v128.load offset=3707056 (local.get $p)))
                  (v128.store offset=3707056 (local.get $p)
                    (v128.bitselect (i8x16.shuffle 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 (local.get $prev) (local.get $cur))
                      (local.get $cur)
                      (i8x16.le_u (local.get $lanes) (local.get $js))))
                  (local.set $prev (local.get $cur))
                  (local.set $lanes (i8x16.add (local.get $lanes) (i8x16.splat (i32.const 16))))
                  (local.set $p (i32.add (local.get $p) (i32.const 16)))
                  (br_if $blocks (i32.le_u (local.get $p) (local.get $j))))))
            (if (i32.ge_u (local.get $nblock) (i32.const 900000))
              (then
                (local.set $result
                  (call $orCutShort (i32.const -5) (local.get $bp) (local.get $cnt) (local.get $endBit)))
                (br $exit)))
            (local.set $p (i32.shl (local.get $v) (i32.const 2)))
            (i32.store offset=3706032 (local.get $p)
              (i32.add (i32.load offset=3706032 (local.get $p)) (i32.const 1)))
            (i32.store (i32.shl (local.get $nblock) (i32.const 2)) (local.get $v))
            (local.set $nblock (i32.add (local.get $nblock) (i32.const 1)))
            (local.set $k (i32.sub (local.get $k) (i32.const 1)))
            (br_if $sym (local.get $k))))
        ;; Every group: past the span means the segment was cut short.
        (if (i32.gt_s
              (i32.sub (i32.shl (local.get $bp) (i32.const 3)) (local.get $cnt))
              (local.get $endBit))
          (then
            (local.set $result (i32.const -1))
            (br $exit)))
        (br $group)))
    (i32.store offset=3725320 (i32.const 0)
      (i32.sub (i32.shl (local.get $bp) (i32.const 3)) (local.get $cnt)))
    (local.get $result))

  ;; Inverse BWT: turns COUNTS into each byte's first position, then links every position
  ;; to the next one in text order, in tt's upper 24 bits.
  (func (export "link") (param $n i32)
    (local $i i32) (local $sum i32) (local $c i32) (local $p i32)
    (loop $prefix
      (local.set $c (i32.load offset=3706032 (local.get $i)))
      (i32.store offset=3706032 (local.get $i) (local.get $sum))
      (local.set $sum (i32.add (local.get $sum) (local.get $c)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br_if $prefix (i32.lt_u (local.get $i) (i32.const 1024))))
    (local.set $i (i32.const 0))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        ;; The low byte of tt[i] (the memory is little-endian).
        (local.set $c (i32.shl (i32.load8_u (i32.shl (local.get $i) (i32.const 2))) (i32.const 2)))
        (local.set $p (i32.load offset=3706032 (local.get $c)))
        (i32.store offset=3706032 (local.get $c) (i32.add (local.get $p) (i32.const 1)))
        (local.set $p (i32.shl (local.get $p) (i32.const 2)))
        (i32.store (local.get $p)
          (i32.or (i32.load (local.get $p)) (i32.shl (local.get $i) (i32.const 8))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each))))

  ;; The inverse-BWT walk's inner loop (the bookkeeping around it is in _block.ts): each
  ;; of `active` lanes follows its links in tt, writing the bytes to its part of LANEBUF,
  ;; until one lane's next entry has the mark bit (1 << 30). The lanes are independent
  ;; chains, so their cache misses overlap; with all 8 busy they live in locals.
  (func (export "walk") (param $active i32)
    (local $l i32) (local $t i32) (local $o i32) (local $a i32)
    (local $p0 i32) (local $o0 i32) (local $t0 i32)
    (local $p1 i32) (local $o1 i32) (local $t1 i32)
    (local $p2 i32) (local $o2 i32) (local $t2 i32)
    (local $p3 i32) (local $o3 i32) (local $t3 i32)
    (local $p4 i32) (local $o4 i32) (local $t4 i32)
    (local $p5 i32) (local $o5 i32) (local $t5 i32)
    (local $p6 i32) (local $o6 i32) (local $t6 i32)
    (local $p7 i32) (local $o7 i32) (local $t7 i32)
    (if (i32.eq (local.get $active) (i32.const 8))
      (then
        (local.set $p0 (i32.load offset=11195680 (i32.const 0)))
        (local.set $o0 (i32.load offset=11195712 (i32.const 0)))
        (local.set $p1 (i32.load offset=11195684 (i32.const 0)))
        (local.set $o1 (i32.load offset=11195716 (i32.const 0)))
        (local.set $p2 (i32.load offset=11195688 (i32.const 0)))
        (local.set $o2 (i32.load offset=11195720 (i32.const 0)))
        (local.set $p3 (i32.load offset=11195692 (i32.const 0)))
        (local.set $o3 (i32.load offset=11195724 (i32.const 0)))
        (local.set $p4 (i32.load offset=11195696 (i32.const 0)))
        (local.set $o4 (i32.load offset=11195728 (i32.const 0)))
        (local.set $p5 (i32.load offset=11195700 (i32.const 0)))
        (local.set $o5 (i32.load offset=11195732 (i32.const 0)))
        (local.set $p6 (i32.load offset=11195704 (i32.const 0)))
        (local.set $o6 (i32.load offset=11195736 (i32.const 0)))
        (local.set $p7 (i32.load offset=11195708 (i32.const 0)))
        (local.set $o7 (i32.load offset=11195740 (i32.const 0)))
        (block $stop
          (loop $step
            (local.set $t0 (i32.load (i32.shl (local.get $p0) (i32.const 2))))
            (local.set $t1 (i32.load (i32.shl (local.get $p1) (i32.const 2))))
            (local.set $t2 (i32.load (i32.shl (local.get $p2) (i32.const 2))))
            (local.set $t3 (i32.load (i32.shl (local.get $p3) (i32.const 2))))
            (local.set $t4 (i32.load (i32.shl (local.get $p4) (i32.const 2))))
            (local.set $t5 (i32.load (i32.shl (local.get $p5) (i32.const 2))))
            (local.set $t6 (i32.load (i32.shl (local.get $p6) (i32.const 2))))
            (local.set $t7 (i32.load (i32.shl (local.get $p7) (i32.const 2))))
            (br_if $stop (i32.and (i32.or (i32.or (i32.or (i32.or (i32.or (i32.or (i32.or (local.get $t0) (local.get $t1)) (local.get $t2)) (local.get $t3)) (local.get $t4)) (local.get $t5)) (local.get $t6)) (local.get $t7)) (i32.const 0x40000000)))
            (i32.store8 offset=11206656 (local.get $o0) (local.get $t0))
            (local.set $o0 (i32.add (local.get $o0) (i32.const 1)))
            (local.set $p0 (i32.and (i32.shr_u (local.get $t0) (i32.const 8)) (i32.const 0xfffff)))
            (i32.store8 offset=11206656 (local.get $o1) (local.get $t1))
            (local.set $o1 (i32.add (local.get $o1) (i32.const 1)))
            (local.set $p1 (i32.and (i32.shr_u (local.get $t1) (i32.const 8)) (i32.const 0xfffff)))
            (i32.store8 offset=11206656 (local.get $o2) (local.get $t2))
            (local.set $o2 (i32.add (local.get $o2) (i32.const 1)))
            (local.set $p2 (i32.and (i32.shr_u (local.get $t2) (i32.const 8)) (i32.const 0xfffff)))
            (i32.store8 offset=11206656 (local.get $o3) (local.get $t3))
            (local.set $o3 (i32.add (local.get $o3) (i32.const 1)))
            (local.set $p3 (i32.and (i32.shr_u (local.get $t3) (i32.const 8)) (i32.const 0xfffff)))
            (i32.store8 offset=11206656 (local.get $o4) (local.get $t4))
            (local.set $o4 (i32.add (local.get $o4) (i32.const 1)))
            (local.set $p4 (i32.and (i32.shr_u (local.get $t4) (i32.const 8)) (i32.const 0xfffff)))
            (i32.store8 offset=11206656 (local.get $o5) (local.get $t5))
            (local.set $o5 (i32.add (local.get $o5) (i32.const 1)))
            (local.set $p5 (i32.and (i32.shr_u (local.get $t5) (i32.const 8)) (i32.const 0xfffff)))
            (i32.store8 offset=11206656 (local.get $o6) (local.get $t6))
            (local.set $o6 (i32.add (local.get $o6) (i32.const 1)))
            (local.set $p6 (i32.and (i32.shr_u (local.get $t6) (i32.const 8)) (i32.const 0xfffff)))
            (i32.store8 offset=11206656 (local.get $o7) (local.get $t7))
            (local.set $o7 (i32.add (local.get $o7) (i32.const 1)))
            (local.set $p7 (i32.and (i32.shr_u (local.get $t7) (i32.const 8)) (i32.const 0xfffff)))
            (br $step)))
        (i32.store offset=11195680 (i32.const 0) (local.get $p0))
        (i32.store offset=11195712 (i32.const 0) (local.get $o0))
        (i32.store offset=11195684 (i32.const 0) (local.get $p1))
        (i32.store offset=11195716 (i32.const 0) (local.get $o1))
        (i32.store offset=11195688 (i32.const 0) (local.get $p2))
        (i32.store offset=11195720 (i32.const 0) (local.get $o2))
        (i32.store offset=11195692 (i32.const 0) (local.get $p3))
        (i32.store offset=11195724 (i32.const 0) (local.get $o3))
        (i32.store offset=11195696 (i32.const 0) (local.get $p4))
        (i32.store offset=11195728 (i32.const 0) (local.get $o4))
        (i32.store offset=11195700 (i32.const 0) (local.get $p5))
        (i32.store offset=11195732 (i32.const 0) (local.get $o5))
        (i32.store offset=11195704 (i32.const 0) (local.get $p6))
        (i32.store offset=11195736 (i32.const 0) (local.get $o6))
        (i32.store offset=11195708 (i32.const 0) (local.get $p7))
        (i32.store offset=11195740 (i32.const 0) (local.get $o7))
        (return)))
    (loop $round
      (local.set $l (i32.const 0))
      (loop $lane
        (local.set $a (i32.shl (local.get $l) (i32.const 2)))
        (local.set $t (i32.load (i32.shl (i32.load offset=11195680 (local.get $a)) (i32.const 2))))
        (if (i32.and (local.get $t) (i32.const 0x40000000)) (then (return)))
        (local.set $o (i32.load offset=11195712 (local.get $a)))
        (i32.store8 offset=11206656 (local.get $o) (local.get $t))
        (i32.store offset=11195712 (local.get $a) (i32.add (local.get $o) (i32.const 1)))
        (i32.store offset=11195680 (local.get $a)
          (i32.and (i32.shr_u (local.get $t) (i32.const 8)) (i32.const 0xfffff)))
        (local.set $l (i32.add (local.get $l) (i32.const 1)))
        (br_if $lane (i32.lt_u (local.get $l) (local.get $active))))
      (br $round)))

  ;; Undoes the first run-length step, PRE[0, n) -> OUT: 4 equal bytes are followed by a
  ;; count of more, and a run restarts after each count. Returns the output length, or -1
  ;; when it would exceed cap. Runs are rare in text: eight bytes at a time are checked for
  ;; the start of four equal ones and copied whole when there is none. Stores may run up
  ;; to 16 bytes past the output (and past cap), into the slack after OUT.
  (func (export "rle1") (param $n i32) (param $cap i32) (result i32)
    (local $i i32) (local $o i32) (local $b i32) (local $last i32) (local $same i32)
    (local $count i32) (local $end i32) (local $w i64) (local $w1 i64) (local $w2 i64)
    (local $e i64) (local $q i32)
    (block $words
      (loop $scan
        (br_if $words (i32.gt_u (i32.add (local.get $i) (i32.const 12)) (local.get $n)))
        (if (i32.gt_u (local.get $o) (local.get $cap)) (then (return (i32.const -1))))
        (local.set $w (i64.load offset=6101336 (local.get $i)))
        (local.set $w1 (i64.load offset=6101337 (local.get $i)))
        (local.set $w2 (i64.load offset=6101338 (local.get $i)))
        ;; Byte k of e is 0 when bytes i+k .. i+k+3 are equal.
        (local.set $e
          (i64.or
            (i64.or (i64.xor (local.get $w) (local.get $w1)) (i64.xor (local.get $w1) (local.get $w2)))
            (i64.xor (local.get $w2) (i64.load offset=6101339 (local.get $i)))))
        (local.set $e
          (i64.and
            (i64.and (i64.sub (local.get $e) (i64.const 0x0101010101010101))
              (i64.xor (local.get $e) (i64.const -1)))
            (i64.const 0x8080808080808080)))
        (i64.store offset=7001336 (local.get $o) (local.get $w))
        (if (i64.eqz (local.get $e))
          (then
            (local.set $i (i32.add (local.get $i) (i32.const 8)))
            (local.set $o (i32.add (local.get $o) (i32.const 8)))
            (br $scan)))
        ;; The lowest flagged byte is a true one: four equal bytes start at q.
        (local.set $q (i32.add (local.get $i) (i32.wrap_i64 (i64.shr_u (i64.ctz (local.get $e)) (i64.const 3)))))
        (i64.store offset=7001344 (local.get $o) (i64.load offset=6101344 (local.get $i)))
        (local.set $o (i32.add (local.get $o) (i32.sub (i32.add (local.get $q) (i32.const 4)) (local.get $i))))
        (local.set $b (i32.load8_u offset=6101336 (local.get $q)))
        ;; The count byte: q + 4 < i + 12 <= n, so it is there.
        (local.set $count (i32.load8_u offset=6101340 (local.get $q)))
        (local.set $i (i32.add (local.get $q) (i32.const 5)))
        (local.set $end (i32.add (local.get $o) (local.get $count)))
        (if (i32.gt_u (local.get $end) (local.get $cap)) (then (return (i32.const -1))))
        (if (i32.le_u (local.get $count) (i32.const 16))
          (then (v128.store offset=7001336 (local.get $o) (i8x16.splat (local.get $b))))
          (else
            (memory.fill (i32.add (local.get $o) (i32.const 7001336)) (local.get $b) (local.get $count))))
        (local.set $o (local.get $end))
        (br $scan)))
    ;; The last bytes, one at a time; the run state is fresh here.
    (local.set $last (i32.const -1))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.ge_u (local.get $o) (local.get $cap)) (then (return (i32.const -1))))
        (local.set $b (i32.load8_u offset=6101336 (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (i32.store8 offset=7001336 (local.get $o) (local.get $b))
        (local.set $o (i32.add (local.get $o) (i32.const 1)))
        (if (i32.ne (local.get $b) (local.get $last))
          (then
            (local.set $last (local.get $b))
            (local.set $same (i32.const 1))
            (br $each)))
        (local.set $same (i32.add (local.get $same) (i32.const 1)))
        (br_if $each (i32.lt_u (local.get $same) (i32.const 4)))
        ;; Four equal bytes: the next byte counts more of them (none when the block ends).
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $count (i32.load8_u offset=6101336 (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $end (i32.add (local.get $o) (local.get $count)))
        (if (i32.gt_u (local.get $end) (local.get $cap)) (then (return (i32.const -1))))
        (memory.fill (i32.add (local.get $o) (i32.const 7001336)) (local.get $b) (local.get $count))
        (local.set $o (local.get $end))
        (local.set $same (i32.const 0))
        (local.set $last (i32.const -1))
        (br $each)))
    (if (i32.gt_u (local.get $o) (local.get $cap)) (then (return (i32.const -1))))
    (local.get $o))

  ;; bzip2's CRC (MSB first) of OUT[0, n), eight bytes at a time through the slicing tables
  ;; at CRCT (filled by the JS side from _crc.ts); returns the running, not inverted, value.
  (func (export "crc") (param $n i32) (result i32)
    (local $c i32) (local $i i32) (local $x i32) (local $a i32) (local $w i64)
    (local.set $c (i32.const -1))
    (block $words
      (loop $eight
        (br_if $words (i32.gt_u (i32.add (local.get $i) (i32.const 8)) (local.get $n)))
        (local.set $w (i64.load offset=7001336 (local.get $i)))
        (local.set $x (i32.wrap_i64 (local.get $w)))
        ;; The first four bytes as a big-endian word.
        (local.set $a
          (i32.xor (local.get $c)
            (i32.or
              (i32.or (i32.shl (local.get $x) (i32.const 24))
                (i32.shl (i32.and (local.get $x) (i32.const 0xff00)) (i32.const 8)))
              (i32.or (i32.and (i32.shr_u (local.get $x) (i32.const 8)) (i32.const 0xff00))
                (i32.shr_u (local.get $x) (i32.const 24))))))
        (local.set $c
          (i32.xor
            (i32.xor
              (i32.xor (i32.load offset=11203072 (i32.shl (i32.shr_u (local.get $a) (i32.const 24)) (i32.const 2)))
                (i32.load offset=11202048 (i32.shl (i32.and (i32.shr_u (local.get $a) (i32.const 16)) (i32.const 255)) (i32.const 2))))
              (i32.xor (i32.load offset=11201024 (i32.shl (i32.and (i32.shr_u (local.get $a) (i32.const 8)) (i32.const 255)) (i32.const 2)))
                (i32.load offset=11200000 (i32.shl (i32.and (local.get $a) (i32.const 255)) (i32.const 2)))))
            (i32.xor
              (i32.xor (i32.load offset=11198976 (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (local.get $w) (i64.const 32))) (i32.const 255)) (i32.const 2))) (i32.load offset=11197952 (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (local.get $w) (i64.const 40))) (i32.const 255)) (i32.const 2))))
              (i32.xor (i32.load offset=11196928 (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (local.get $w) (i64.const 48))) (i32.const 255)) (i32.const 2))) (i32.load offset=11195904 (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u (local.get $w) (i64.const 56))) (i32.const 255)) (i32.const 2)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $eight)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $c
          (i32.xor (i32.shl (local.get $c) (i32.const 8))
            (i32.load offset=11195904 (i32.shl (i32.and (i32.xor (i32.shr_u (local.get $c) (i32.const 24)) (i32.load8_u offset=7001336 (local.get $i))) (i32.const 255)) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (local.get $c))
)
