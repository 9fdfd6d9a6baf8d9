// continuity/random/detail/philox_avx512.hpp — the Philox blocks of 64
// trials with AVX-512's 32×32→64-bit multiplication.
//
// philox4x32::generate_wide keeps each 32-bit word in a 64-bit lane so that
// compilers vectorise its rounds. With AVX-512 they then multiply with
// vpmullq (a full 64×64-bit product, three micro-operations and 15 cycles of
// latency) although every factor is below 2^32; vpmuludq, which multiplies
// the low halves of the lanes, is one micro-operation. This version says so
// with intrinsics: the same Philox4x32-10 rounds on the same words, hence
// the same blocks bit for bit (tests/random_rng_test.cpp compares them).
//
// It is compiled for AVX-512F only (a function target attribute), whatever
// the rest of the build targets, and called only on processors that have it
// (see philox_trial_blocks in rng.hpp). Defined where GCC or Clang build for
// x86-64 and CONTINUITY_NO_SIMD_DISPATCH is not defined; there
// CONTINUITY_PHILOX_AVX512 is 1.
#pragma once

#include <array>
#include <cstdint>

#if !defined(CONTINUITY_NO_SIMD_DISPATCH) && (defined(__GNUC__) || defined(__clang__)) &&     \
    defined(__x86_64__)
#include <immintrin.h>
#define CONTINUITY_PHILOX_AVX512 1

namespace continuity::detail {

/// The Philox4x32-10 blocks of the counters (0, 0, (first + j) mod 2^32,
/// (first + j) / 2^32) under `key`, j < N, as (low[j], high[j]) in the
/// layout of philox4x32::generate_wide. N is a multiple of 8. Call only
/// where the processor has AVX-512F.
template <std::size_t N>
__attribute__((target("avx512f"))) void
philox_trial_blocks_avx512(std::uint64_t key, std::uint64_t first,
                           std::array<std::uint64_t, N>& low,
                           std::array<std::uint64_t, N>& high) noexcept {
  // Eight 64-bit lanes as a vector of the compilers' vector extension
  // (shifts, xor and additions need no intrinsics; GCC 12 warns about the
  // passthrough operand of the shift intrinsics).
  using lanes = std::uint64_t __attribute__((vector_size(64)));
  constexpr std::size_t width = 8, together = 4; // vectors whose rounds interleave
  static_assert(N % (width * together) == 0);
  constexpr int rounds = 10;
  constexpr std::uint64_t multiplier0 = 0xD2511F53u, multiplier1 = 0xCD9E8D57u;
  constexpr std::uint32_t weyl0 = 0x9E3779B9u, weyl1 = 0xBB67AE85u;
  constexpr auto all = static_cast<__mmask8>(0xFF);
  const lanes m0 = lanes{} + multiplier0, m1 = lanes{} + multiplier1;
  for (std::size_t j = 0; j < N; j += width * together) {
    // Words 0 and 1 of the counter are 0; words 2 and 3 are the trial's
    // halves. Only the low 32 bits of a lane are a word: vpmuludq reads
    // those alone, so the high bits are cleared once, at the end.
    lanes c0[together], c1[together], c2[together], c3[together];
    for (std::size_t v = 0; v < together; ++v) {
      const std::uint64_t t = first + j + v * width;
      const lanes trial = lanes{t, t + 1, t + 2, t + 3, t + 4, t + 5, t + 6, t + 7};
      c0[v] = c1[v] = lanes{};
      c2[v] = trial;
      c3[v] = trial >> 32;
    }
    auto k0 = static_cast<std::uint32_t>(key), k1 = static_cast<std::uint32_t>(key >> 32);
    for (int r = 0; r < rounds; ++r, k0 += weyl0, k1 += weyl1) {
      for (std::size_t v = 0; v < together; ++v) {
        // Low 32 bits × low 32 bits (vpmuludq).
        const auto p0 = reinterpret_cast<lanes>(_mm512_maskz_mul_epu32(
            all, reinterpret_cast<__m512i>(c0[v]), reinterpret_cast<__m512i>(m0)));
        const auto p1 = reinterpret_cast<lanes>(_mm512_maskz_mul_epu32(
            all, reinterpret_cast<__m512i>(c2[v]), reinterpret_cast<__m512i>(m1)));
        c0[v] = (p1 >> 32) ^ c1[v] ^ std::uint64_t{k0};
        c2[v] = (p0 >> 32) ^ c3[v] ^ std::uint64_t{k1};
        c1[v] = p1;
        c3[v] = p0;
      }
    }
    constexpr std::uint64_t word = 0xFFFFFFFFu;
    for (std::size_t v = 0; v < together; ++v) {
      const lanes l = (c0[v] & word) | (c1[v] << 32), h = (c2[v] & word) | (c3[v] << 32);
      __builtin_memcpy(low.data() + j + v * width, &l, sizeof l);
      __builtin_memcpy(high.data() + j + v * width, &h, sizeof h);
    }
  }
}

} // namespace continuity::detail

#endif
