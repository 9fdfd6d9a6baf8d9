// continuity/model/requirement.hpp — "needs all of", "needs any one of" and
// "needs k of n": what a system or a business function requires to run.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace continuity {

/// A requirement on a set of systems: at least `needed` of `systems` must be
/// up. all_of(...) needs every one, any_of(...) one of them (redundant
/// alternatives), k_of_n(k, ...) any k (e.g. 2 of 3 cluster nodes). An object
/// with several requirements needs every one of them.
struct requirement {
  std::vector<std::string> systems; ///< names of the candidate systems
  std::size_t needed = 0;           ///< how many must be up: 1 ≤ needed ≤ systems.size()

  /// Every one of `systems` is needed.
  static requirement all_of(std::vector<std::string> systems) {
    const auto n = systems.size();
    return {std::move(systems), n};
  }
  /// Any one of `systems` suffices (redundant alternatives).
  static requirement any_of(std::vector<std::string> systems) { return {std::move(systems), 1}; }
  /// Any `k` of `systems` suffice.
  static requirement k_of_n(std::size_t k, std::vector<std::string> systems) {
    return {std::move(systems), k};
  }

  /// True if every candidate is needed.
  bool is_all_of() const noexcept { return needed == systems.size(); }

  friend bool operator==(const requirement&, const requirement&) = default;
};

} // namespace continuity
