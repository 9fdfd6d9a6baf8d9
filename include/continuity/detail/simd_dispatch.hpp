// continuity/detail/simd_dispatch.hpp — the instruction set of the few hot
// loops, chosen when the program starts.
//
// A library built for the x86-64 baseline (SSE2, as Python packages and
// distribution builds are) leaves AVX2 unused on the processors that have
// it. CONTINUITY_SIMD_DISPATCH, placed before an inline function that is not
// a template, compiles it twice, for AVX2 and for the baseline, and calls the
// version the processor supports (GCC's target_clones, resolved once at load
// time). The AVX2 version has no FMA, so both compute the same floating-point
// operations and give bit-identical results on every machine.
//
// It is empty when the build already targets AVX2 (e.g. -march=native), on
// compilers other than GCC 11 or later, off x86-64 ELF platforms, and when
// CONTINUITY_NO_SIMD_DISPATCH is defined.
#pragma once

#if !defined(CONTINUITY_NO_SIMD_DISPATCH) && defined(__GNUC__) && !defined(__clang__) &&      \
    __GNUC__ >= 11 && defined(__x86_64__) && defined(__ELF__) && !defined(__AVX2__)
#define CONTINUITY_SIMD_DISPATCH __attribute__((target_clones("avx2", "default")))
#else
#define CONTINUITY_SIMD_DISPATCH
#endif
