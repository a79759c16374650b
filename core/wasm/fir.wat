;; The FIR kernel of core/units.ts (convolveNewestFirst) in WebAssembly with 128-bit SIMD:
;;   out[t] += Σ_{k<m} taps[k] · work[offset + t − k]   for t < n,
;; every output's sum running over k in ascending order with a separate multiply and add (wasm
;; never fuses them), so results are bit-identical to the JavaScript loop. Eight outputs per
;; step: four f64x2 accumulators, one tap broadcast per k, four unaligned 2-lane loads.
;; Arguments are byte addresses of f64 arrays in the exported memory (the caller copies in and out).
;; Source of core/wasm/firBinary.ts: `npm run build:wasm` (wabt) regenerates it.
(module
  (memory (export "memory") 1)
  (func (export "convolve")
    (param $taps i32) (param $m i32) (param $work i32) (param $offset i32) (param $n i32) (param $out i32)
    (local $t i32) (local $k i32) (local $x i32) (local $o i32) (local $tapAddress i32)
    (local $tap v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $acc f64)
    ;; blocks of eight outputs
    (block $blocksDone
      (loop $blocks
        (br_if $blocksDone (i32.gt_s (i32.add (local.get $t) (i32.const 8)) (local.get $n)))
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $a1 (v128.const i64x2 0 0))
        (local.set $a2 (v128.const i64x2 0 0))
        (local.set $a3 (v128.const i64x2 0 0))
        ;; x = address of work[offset + t − k], starting at k = 0
        (local.set $x (i32.add (local.get $work) (i32.shl (i32.add (local.get $offset) (local.get $t)) (i32.const 3))))
        (local.set $tapAddress (local.get $taps))
        (local.set $k (i32.const 0))
        (block $tapsDone
          (loop $tapLoop
            (br_if $tapsDone (i32.ge_s (local.get $k) (local.get $m)))
            (local.set $tap (f64x2.splat (f64.load (local.get $tapAddress))))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $tap) (v128.load align=8 (local.get $x)))))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $tap) (v128.load offset=16 align=8 (local.get $x)))))
            (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $tap) (v128.load offset=32 align=8 (local.get $x)))))
            (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $tap) (v128.load offset=48 align=8 (local.get $x)))))
            (local.set $x (i32.sub (local.get $x) (i32.const 8)))
            (local.set $tapAddress (i32.add (local.get $tapAddress) (i32.const 8)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $tapLoop)))
        (local.set $o (i32.add (local.get $out) (i32.shl (local.get $t) (i32.const 3))))
        (v128.store align=8 (local.get $o) (f64x2.add (v128.load align=8 (local.get $o)) (local.get $a0)))
        (v128.store offset=16 align=8 (local.get $o) (f64x2.add (v128.load offset=16 align=8 (local.get $o)) (local.get $a1)))
        (v128.store offset=32 align=8 (local.get $o) (f64x2.add (v128.load offset=32 align=8 (local.get $o)) (local.get $a2)))
        (v128.store offset=48 align=8 (local.get $o) (f64x2.add (v128.load offset=48 align=8 (local.get $o)) (local.get $a3)))
        (local.set $t (i32.add (local.get $t) (i32.const 8)))
        (br $blocks)))
    ;; the last n mod 8 outputs one at a time
    (block $restDone
      (loop $rest
        (br_if $restDone (i32.ge_s (local.get $t) (local.get $n)))
        (local.set $acc (f64.const 0))
        (local.set $x (i32.add (local.get $work) (i32.shl (i32.add (local.get $offset) (local.get $t)) (i32.const 3))))
        (local.set $tapAddress (local.get $taps))
        (local.set $k (i32.const 0))
        (block $tapsDone1
          (loop $tapLoop1
            (br_if $tapsDone1 (i32.ge_s (local.get $k) (local.get $m)))
            (local.set $acc (f64.add (local.get $acc) (f64.mul (f64.load (local.get $tapAddress)) (f64.load (local.get $x)))))
            (local.set $x (i32.sub (local.get $x) (i32.const 8)))
            (local.set $tapAddress (i32.add (local.get $tapAddress) (i32.const 8)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $tapLoop1)))
        (local.set $o (i32.add (local.get $out) (i32.shl (local.get $t) (i32.const 3))))
        (f64.store (local.get $o) (f64.add (f64.load (local.get $o)) (local.get $acc)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $rest)))))
