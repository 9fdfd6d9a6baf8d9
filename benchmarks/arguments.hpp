// benchmarks/arguments.hpp — the numbers on the command lines of the
// benchmark programs. A value that is not a number (or is negative, or too
// many arguments) gives the program's usage line and exit status 2, and
// --help gives it with status 0, instead of an uncaught exception.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

namespace bench {

/// Prints "usage: <usage>" (after `problem`, if any, on its own line) and
/// exits: with status 0 when there is no problem (--help), else 2.
[[noreturn]] inline void usage_exit(const std::string& usage, const std::string& problem = {}) {
  if (!problem.empty()) std::fprintf(stderr, "%s\n", problem.c_str());
  std::fprintf(problem.empty() ? stdout : stderr, "usage: %s\n", usage.c_str());
  std::exit(problem.empty() ? 0 : 2);
}

/// `text` read as a number (1e5-style accepted): the whole text, finite and
/// at least `minimum`; otherwise usage_exit naming `what`.
inline double parse_number(const std::string& usage, const std::string& what,
                           const std::string& text, double minimum = 0) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(value) ||
      value < minimum) {
    char bound[32];
    std::snprintf(bound, sizeof bound, "%g", minimum);
    usage_exit(usage, what + ": '" + text + "' is not a number of at least " + bound);
  }
  return value;
}

/// The positional arguments of a program whose usage line is `usage`
/// (the program's name first, then its optional arguments in brackets).
class arguments {
public:
  /// Exits through usage_exit for --help or -h, and for more than
  /// `most` arguments.
  arguments(int argc, char** argv, std::string usage, int most)
      : argc_(argc), argv_(argv), usage_(std::move(usage)) {
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      if (a == "--help" || a == "-h") usage_exit(usage_);
    }
    if (argc - 1 > most)
      usage_exit(usage_, "at most " + std::to_string(most) + " arguments, got " +
                             std::to_string(argc - 1));
  }

  /// Whether argument `i` (counted from 1) was given.
  bool has(int i) const { return i < argc_; }
  /// Argument `i` as a number of at least `minimum`, or `fallback` if absent.
  double number(int i, const char* what, double fallback, double minimum = 0) const {
    return has(i) ? parse_number(usage_, what, argv_[i], minimum) : fallback;
  }
  /// Argument `i` as a whole count of at least `minimum` (1e5-style
  /// accepted), or `fallback` if absent.
  std::uint64_t count(int i, const char* what, std::uint64_t fallback,
                      std::uint64_t minimum = 0) const {
    if (!has(i)) return fallback;
    const double value = parse_number(usage_, what, argv_[i], static_cast<double>(minimum));
    if (value != std::floor(value) || value >= 0x1p64)
      usage_exit(usage_, std::string(what) + ": '" + argv_[i] + "' is not a whole number");
    return static_cast<std::uint64_t>(value);
  }
  /// The usage line.
  const std::string& usage() const { return usage_; }

private:
  int argc_;
  char** argv_;
  std::string usage_;
};

} // namespace bench
