// continuity/model/priority.hpp — priority classes from business importance ×
// system dependency, and the RTO tables that give each class its recovery
// time objective (docs/domain.md §3).
#pragma once

#include <continuity/error.hpp>

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace continuity {

/// Recovery priority class; S is restored first, D last (or never).
enum class priority_class : std::uint8_t { S, A, B, C, D };

/// Number of priority classes.
inline constexpr std::size_t priority_class_count = 5;

/// "S", "A", "B", "C" or "D".
constexpr std::string_view to_string(priority_class c) noexcept {
  constexpr std::array<std::string_view, priority_class_count> names{"S", "A", "B", "C", "D"};
  return names[static_cast<std::size_t>(c)];
}

/// Parses "S", "A", "B", "C" or "D".
constexpr std::optional<priority_class> parse_priority_class(std::string_view s) noexcept {
  for (std::size_t i = 0; i < priority_class_count; ++i)
    if (to_string(static_cast<priority_class>(i)) == s) return static_cast<priority_class>(i);
  return std::nullopt;
}

/// The matrix that classifies a business function by its business importance
/// (columns) and its dependency on systems (rows), both on levels 1..levels()
/// where the highest level is the most important / most dependent.
class priority_matrix {
public:
  /// A levels × levels matrix; classes[d - 1][i - 1] is the class of
  /// dependency level d and importance level i. Throws value_error unless the
  /// matrix is square with 2 to 9 levels.
  explicit priority_matrix(std::vector<std::vector<priority_class>> classes)
      : classes_(std::move(classes)) {
    const std::size_t n = classes_.size();
    if (n < 2 || n > 9)
      throw value_error("priority matrix", "", "levels",
                        "must have 2 to 9 levels, got " + std::to_string(n));
    for (std::size_t r = 0; r < n; ++r)
      if (classes_[r].size() != n)
        throw value_error("priority matrix", "", "row " + std::to_string(r + 1),
                          "has " + std::to_string(classes_[r].size()) + " entries, expected " +
                              std::to_string(n));
  }

  /// The 3-level matrix of docs/domain.md §3:
  /// dependency high: B A S; mid: C B A; low: D C B (importance low, mid, high).
  static priority_matrix three_level() { return by_distance(3, 1); }

  /// The 5-level variant (levels 1..5 on both axes, after the ICT-BCP
  /// guideline). The class is the distance from the top corner,
  /// (5 − importance) + (5 − dependency) = 0..8, mapped by ceil(distance / 2)
  /// to S, A, B, C, D: it agrees with the 3-level matrix on the corners and
  /// diagonals.
  static priority_matrix five_level() { return by_distance(5, 2); }

  /// Number of levels on each axis.
  int levels() const noexcept { return static_cast<int>(classes_.size()); }

  /// The class of a function with the given importance and dependency levels
  /// (1-based). Precondition: both in [1, levels()].
  priority_class classify(int importance, int dependency) const noexcept {
    return classes_[static_cast<std::size_t>(dependency - 1)]
                   [static_cast<std::size_t>(importance - 1)];
  }

  /// The matrix rows (dependency level 1 first).
  const std::vector<std::vector<priority_class>>& classes() const noexcept { return classes_; }

  /// Name of a built-in preset this matrix equals ("three-level",
  /// "five-level"), or empty for a custom matrix.
  std::string preset_name() const {
    if (*this == three_level()) return "three-level";
    if (*this == five_level()) return "five-level";
    return {};
  }

  friend bool operator==(const priority_matrix&, const priority_matrix&) = default;

private:
  priority_matrix() = default;
  static priority_matrix by_distance(int n, int per_class) {
    priority_matrix m;
    m.classes_.assign(static_cast<std::size_t>(n),
                      std::vector<priority_class>(static_cast<std::size_t>(n)));
    for (int d = 1; d <= n; ++d)
      for (int i = 1; i <= n; ++i) {
        const int dist = (n - i) + (n - d);
        const int c = (dist + per_class - 1) / per_class;
        m.classes_[static_cast<std::size_t>(d - 1)][static_cast<std::size_t>(i - 1)] =
            static_cast<priority_class>(c > 4 ? 4 : c);
      }
    return m;
  }
  std::vector<std::vector<priority_class>> classes_;
};

/// The recovery time objective of each priority class, in hours. A class
/// without an objective (risk accepted, or not set) has +infinity.
template <class Real = double>
class basic_rto_table {
public:
  /// Hours per class S, A, B, C, D; +infinity for "no objective". Throws
  /// value_error for a negative or NaN entry or one smaller than the entry
  /// of a higher class.
  explicit basic_rto_table(std::array<Real, priority_class_count> hours) : hours_(hours) {
    for (std::size_t c = 0; c < priority_class_count; ++c) {
      const auto name = std::string(to_string(static_cast<priority_class>(c)));
      if (!(hours_[c] >= 0))
        throw value_error("RTO table", "", name, "must be a non-negative number of hours");
      if (c > 0 && hours_[c] < hours_[c - 1])
        throw value_error("RTO table", "", name,
                          "must not be shorter than the RTO of the class above it");
    }
  }

  /// Example 1 of docs/domain.md §3: S immediately (0 h), A 12 h, B 24 h, C 3 days,
  /// D risk accepted (no objective).
  static basic_rto_table example_1() { return basic_rto_table({0, 12, 24, 72, none()}); }
  /// Example 2: S 3 h, A 6 h, B 24 h, C 72 h, D not set.
  static basic_rto_table example_2() { return basic_rto_table({3, 6, 24, 72, none()}); }
  /// Example 3: S 17 h, A 24 h, B 3 days, C 7 days, D after 7 days (no objective).
  static basic_rto_table example_3() { return basic_rto_table({17, 24, 72, 168, none()}); }

  /// The preset called "example-1", "example-2" or "example-3".
  static std::optional<basic_rto_table> preset(std::string_view name) {
    if (name == "example-1") return example_1();
    if (name == "example-2") return example_2();
    if (name == "example-3") return example_3();
    return std::nullopt;
  }

  /// Name of the preset this table equals, or empty.
  std::string preset_name() const {
    for (const char* n : {"example-1", "example-2", "example-3"})
      if (*preset(n) == *this) return n;
    return {};
  }

  /// The RTO of a class in hours (+infinity: no objective).
  Real rto(priority_class c) const noexcept { return hours_[static_cast<std::size_t>(c)]; }
  /// All five entries, S first.
  const std::array<Real, priority_class_count>& hours() const noexcept { return hours_; }

  friend bool operator==(const basic_rto_table&, const basic_rto_table&) = default;

private:
  static constexpr Real none() { return std::numeric_limits<Real>::infinity(); }
  std::array<Real, priority_class_count> hours_;
};

/// RTO table in double precision.
using rto_table = basic_rto_table<double>;

} // namespace continuity
