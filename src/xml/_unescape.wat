;; The XML reader's entity replacement for a field's bytes, in WebAssembly: wikitext in a
;; dump holds an entity every hundred bytes or so (`&lt;ref&gt;`, `&quot;`), so the JS loop
;; it replaces spent most of its time starting and ending short copies. Here the bytes are
;; scanned for `&` 16 at a time with 128-bit SIMD and copied as they are scanned.
;;
;; The JS side copies a field's bytes to offset 0 and calls `unescape` with where the result
;; goes (past the input and its 16 bytes of look-ahead: whole vectors are stored, so the
;; result cannot be written over the input). Only the five named entities are handled: at
;; any other `&` it gives up, and the JS loop, which knows character references and reports
;; errors, does the field.
;;
;; Build: `deno task build:wasm` writes _unescape_wasm.ts; a test checks it is current.
(module
  (memory (export "memory") 1)

  ;; Unescapes bytes [0, len) to [out, …); returns the result's length, or -1 at an `&` that
  ;; does not start `&lt;`, `&gt;`, `&amp;`, `&quot;` or `&apos;` ending within len. Needs
  ;; out >= len + 16 and memory up to out + len + 16.
  (func (export "unescape") (param $len i32) (param $out i32) (result i32)
    (local $r i32) (local $w i32) (local $m i32) (local $x i32) (local $v v128)
    (local.set $w (local.get $out))
    (block $done
      (loop $next
        (if (i32.le_u (i32.add (local.get $r) (i32.const 16)) (local.get $len))
          (then
            (local.set $v (v128.load (local.get $r)))
            (local.set $m (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 38)))))
            ;; The 16 bytes go out whole; those after an `&` are written again later.
            (v128.store (local.get $w) (local.get $v))
            (if (i32.eqz (local.get $m))
              (then
                (local.set $r (i32.add (local.get $r) (i32.const 16)))
                (local.set $w (i32.add (local.get $w) (i32.const 16)))
                (br $next)))
            (local.set $m (i32.ctz (local.get $m)))
            (local.set $r (i32.add (local.get $r) (local.get $m)))
            (local.set $w (i32.add (local.get $w) (local.get $m))))
          (else
            (br_if $done (i32.ge_u (local.get $r) (local.get $len)))
            (local.set $x (i32.load8_u (local.get $r)))
            (if (i32.ne (local.get $x) (i32.const 38))
              (then
                (i32.store8 (local.get $w) (local.get $x))
                (local.set $r (i32.add (local.get $r) (i32.const 1)))
                (local.set $w (i32.add (local.get $w) (i32.const 1)))
                (br $next)))))
        ;; An `&` at r: the four bytes after it, little-endian.
        (local.set $x (i32.load offset=1 (local.get $r)))
        (if (i32.eq (i32.and (local.get $x) (i32.const 0xffffff)) (i32.const 0x3b746c)) ;; lt;
          (then
            (local.set $m (i32.const 60))
            (local.set $r (i32.add (local.get $r) (i32.const 4))))
          (else (if (i32.eq (i32.and (local.get $x) (i32.const 0xffffff)) (i32.const 0x3b7467)) ;; gt;
            (then
              (local.set $m (i32.const 62))
              (local.set $r (i32.add (local.get $r) (i32.const 4))))
            (else (if (i32.eq (local.get $x) (i32.const 0x3b706d61)) ;; amp;
              (then
                (local.set $m (i32.const 38))
                (local.set $r (i32.add (local.get $r) (i32.const 5))))
              (else (if (i32.and
                    (i32.eq (local.get $x) (i32.const 0x746f7571)) ;; quot
                    (i32.eq (i32.load8_u offset=5 (local.get $r)) (i32.const 59)))
                (then
                  (local.set $m (i32.const 34))
                  (local.set $r (i32.add (local.get $r) (i32.const 6))))
                (else (if (i32.and
                      (i32.eq (local.get $x) (i32.const 0x736f7061)) ;; apos
                      (i32.eq (i32.load8_u offset=5 (local.get $r)) (i32.const 59)))
                  (then
                    (local.set $m (i32.const 39))
                    (local.set $r (i32.add (local.get $r) (i32.const 6))))
                  (else (return (i32.const -1))))))))))))
        ;; The entity must end within the field (the bytes read past it are not its own).
        (if (i32.gt_u (local.get $r) (local.get $len)) (then (return (i32.const -1))))
        (i32.store8 (local.get $w) (local.get $m))
        (local.set $w (i32.add (local.get $w) (i32.const 1)))
        (br $next)))
    (i32.sub (local.get $w) (local.get $out)))
)
