;; The block-magic scan's inner loop (see _scan.ts): from byte i, every third byte, until a
;; byte pair that starts a magic's 32-bit word at offset 0, 1 or 2 (PAIRS, filled by the JS
;; side). In TypeScript this loop took 7x the time: two bounds-checked loads and a table
;; lookup for every three bytes of the whole compressed input.
;;
;; Build: `deno task build:wasm` writes _scan_wasm.ts; a test checks it is current.
(module
  (memory (export "memory") 18 18)
  ;; Uint8 x 65536: for each byte pair, bit o set when it is bytes o, o+1 of a magic's word.
  (global (export "PAIRS") i32 (i32.const 0))
  ;; Uint8 x 1 MB + 1: the bytes scanned (a pair may end one byte past the last start).
  (global (export "BYTES") i32 (i32.const 65536))
  (global (export "CHUNK") i32 (i32.const 1048576))

  ;; The first i' = i + 3k < end whose pair BYTES[i'], BYTES[i' + 1] is marked, or -1.
  (func (export "next") (param $i i32) (param $end i32) (result i32)
    (block $none
      (loop $step
        (br_if $none (i32.ge_s (local.get $i) (local.get $end)))
        (if (i32.load8_u
              (i32.or (i32.shl (i32.load8_u offset=65536 (local.get $i)) (i32.const 8))
                (i32.load8_u offset=65537 (local.get $i))))
          (then (return (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 3)))
        (br $step)))
    (i32.const -1))
)
