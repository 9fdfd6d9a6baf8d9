// continuity/detail/simd_dispatch.hpp — the instruction set of the few hot
// loops, chosen when the program starts.
//
// A library built for the x86-64 baseline (SSE2, as Python packages and
// distribution builds are) leaves AVX2 and AVX-512 unused on the processors
// that have them. CONTINUITY_SIMD_DISPATCH, placed before an inline function
// that is not a template, compiles it three times, for x86-64-v4 (AVX-512),
// for AVX2 and for the baseline, and calls the version the processor supports
// (GCC's target_clones, resolved once at load time). Floating-point
// contraction is off in all three (the x86-64-v4 version could otherwise fuse
// a multiplication and an addition into one FMA, rounded once), so they
// compute the same floating-point operations and give bit-identical results
// on every machine.
//
// It is empty when the build already targets AVX2 (e.g. -march=native), on
// compilers other than GCC 11 or later, off x86-64 ELF platforms, and when
// CONTINUITY_NO_SIMD_DISPATCH is defined.
#pragma once

#if !defined(CONTINUITY_NO_SIMD_DISPATCH) && defined(__GNUC__) && !defined(__clang__) &&      \
    __GNUC__ >= 11 && defined(__x86_64__) && defined(__ELF__) && !defined(__AVX2__)
#define CONTINUITY_SIMD_DISPATCH                                                                  \
  __attribute__((target_clones("arch=x86-64-v4", "avx2", "default"), optimize("fp-contract=off")))
// Defined when the copies exist: code can then ask which one runs.
#define CONTINUITY_SIMD_DISPATCHED 1
#else
#define CONTINUITY_SIMD_DISPATCH
#endif
