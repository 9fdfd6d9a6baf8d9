// continuity/scheduling/detail/ready_set.hpp — a set of indices from which
// the smallest is taken first: the "lowest ready index first" queue of
// topological orders and priority lists. Unstable internals.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace continuity::detail {

/// A set of indices in [0, n): one bit per index, and above them levels of
/// one bit per non-empty word below, up to a single word, so that inserting
/// an index and taking the smallest cost O(log₆₄ n). Keeps its memory
/// between uses.
class ready_set {
public:
  /// Empties the set, for indices below `n`.
  void reset(std::size_t n) {
    level_begin_.clear();
    std::size_t words = 0, size = n;
    do {
      size = size > 64 ? (size + 63) / 64 : 1;
      level_begin_.push_back(words);
      words += size;
    } while (size > 1);
    level_begin_.push_back(words);
    bits_.assign(words, 0);
  }

  /// True if the set has no index.
  bool empty() const noexcept { return bits_.back() == 0; }

  /// Adds index i (not in the set).
  void insert(std::size_t i) noexcept {
    for (std::size_t l = 0; l + 1 < level_begin_.size(); ++l) {
      std::uint64_t& word = bits_[level_begin_[l] + i / 64];
      const bool was_empty = word == 0;
      word |= std::uint64_t{1} << (i % 64);
      if (!was_empty) return;
      i /= 64;
    }
  }

  /// Removes and returns the smallest index (the set must not be empty).
  std::size_t pop_min() noexcept {
    std::size_t i = 0;
    for (std::size_t l = level_begin_.size() - 1; l-- > 0;)
      i = i * 64 + static_cast<std::size_t>(std::countr_zero(bits_[level_begin_[l] + i]));
    std::size_t j = i;
    for (std::size_t l = 0; l + 1 < level_begin_.size(); ++l) {
      std::uint64_t& word = bits_[level_begin_[l] + j / 64];
      word &= ~(std::uint64_t{1} << (j % 64));
      if (word != 0) break;
      j /= 64;
    }
    return i;
  }

private:
  std::vector<std::size_t> level_begin_; // first word of each level (bottom first), then the end
  std::vector<std::uint64_t> bits_;
};

} // namespace continuity::detail
