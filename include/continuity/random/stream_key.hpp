// continuity/random/stream_key.hpp — names for the random sub-streams of a
// Monte Carlo trial.
//
// A trial draws many independent quantities: how often each scenario occurs,
// which systems each occurrence damages, how long each recovery step takes,
// what each cost line amounts to. Each draws from a sub-stream of its own,
// trial_engine(seed, trial, key), and the key names what the draw is for:
// its role and the identity of the objects it belongs to (by name, never by
// position in an array), and the occurrence number within the year. So
//
//   * the same model gives the same numbers whatever order a file lists its
//     systems, functions, scenarios, connections or cost lines in;
//   * adding or removing an object (a mitigation) leaves every other draw
//     unchanged, which is what makes common random numbers work: comparing
//     two models with one seed measures the change, not the noise;
//   * nothing wraps: step 32 and occurrence 1,024 have keys of their own,
//     however many there are (every component enters all 64 bits of the key).
//
// Keys are 64-bit hashes. Two different draws of one trial share a stream
// only if their keys collide: with k sub-streams in a trial the chance is
// about k² / 2^65 (10^-6 for three million draws), and a collision makes two
// draws of one trial equal, not a wrong distribution.
#pragma once

#include <cstdint>
#include <string_view>

namespace continuity {

/// The key of one random sub-stream: a 64-bit hash of what the draw is for,
/// built by appending its components (role, names, numbers) in order. The
/// same components in the same order always give the same key, on every
/// platform.
class stream_key {
public:
  /// The key of role `role` (a small number naming the kind of draw).
  constexpr explicit stream_key(std::uint64_t role) noexcept : value_(mix(seed_constant ^ role)) {}

  /// This key followed by the number `x`.
  [[nodiscard]] constexpr stream_key then(std::uint64_t x) const noexcept {
    return stream_key(raw{}, mix(value_ * step_multiplier + mix(x + number_tag)));
  }
  /// This key followed by the name `name` (its bytes, so UTF-8 names work).
  [[nodiscard]] constexpr stream_key then(std::string_view name) const noexcept {
    return then_hash(hash_name(name));
  }
  /// This key followed by a name hashed beforehand with hash_name() (faster
  /// when one name is appended to many keys).
  [[nodiscard]] constexpr stream_key then_hash(std::uint64_t name_hash) const noexcept {
    return stream_key(raw{}, mix(value_ * step_multiplier + (name_hash ^ name_tag)));
  }

  /// The 64-bit key.
  constexpr std::uint64_t value() const noexcept { return value_; }

  /// A 64-bit hash of a name's bytes (FNV-1a, then a full avalanche).
  static constexpr std::uint64_t hash_name(std::string_view name) noexcept {
    std::uint64_t h = 0xcbf29ce484222325u;
    for (char c : name) {
      h ^= static_cast<unsigned char>(c);
      h *= 0x100000001b3u;
    }
    return mix(h ^ (name.size() * number_tag));
  }

  /// The finaliser of MurmurHash3 (fmix64): a bijection of 64-bit words in
  /// which every input bit changes every output bit with probability ~1/2.
  static constexpr std::uint64_t mix(std::uint64_t x) noexcept {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdu;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53u;
    x ^= x >> 33;
    return x;
  }

  /// Equal keys name the same sub-stream.
  friend constexpr bool operator==(stream_key, stream_key) noexcept = default;

private:
  struct raw {};
  constexpr stream_key(raw, std::uint64_t value) noexcept : value_(value) {}

  static constexpr std::uint64_t seed_constant = 0x243f6a8885a308d3u; // π
  static constexpr std::uint64_t step_multiplier = 0x9e3779b97f4a7c15u; // golden ratio, odd
  static constexpr std::uint64_t number_tag = 0x6a09e667f3bcc909u;  // √2
  static constexpr std::uint64_t name_tag = 0xbb67ae8584caa73bu;    // √3

  std::uint64_t value_;
};

} // namespace continuity
