// distribution_fuzzer — bytes as the JSON of one distribution field
// (continuity::detail::read_distribution, how a model file's durations,
// amounts and record counts are read; docs/model-format.md). The first byte
// chooses whether duration strings ("4h", "2w") are allowed, as they are
// for step durations; the rest is JSON text. A distribution that reads is
// exercised: mean, variance, quantiles at probabilities from 0 through the
// smallest subnormal to 1, cdf, a few samples and counts, and the writer
// (write_distribution reads back).
//
// Errors derived from continuity::error are expected; any other exception,
// a crash, a sanitizer report, a leak or a hang is a finding.
#include <continuity/io/detail/json_distribution.hpp>
#include <continuity/io/json.hpp>
#include <continuity/model/detail/same_distribution.hpp>
#include <continuity/random.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>

namespace {

[[noreturn]] void property_failed(const char* what, double value) {
  std::fprintf(stderr, "fuzz: property failed: %s (%g)\n", what, value);
  std::abort();
}

/// Exercises a distribution: its moments, its quantiles at every probability
/// that matters (never throwing; non-decreasing in p; the CDF of each in
/// [0, 1]), samples (never NaN) and counts.
void exercise(const continuity::distribution<double>& d, std::uint64_t seed) {
  (void)d.name();
  const double mean = d.mean();
  (void)d.variance();
  if (std::isnan(mean)) property_failed("mean is NaN", mean);
  double previous = -std::numeric_limits<double>::infinity();
  for (double p : {0.0, 5e-324, 1e-300, 1e-12, 0.05, 0.5, 0.95, 1 - 1e-12, 1.0}) {
    const double q = d.quantile(p);
    if (std::isnan(q) || q < previous) property_failed("quantile NaN or decreasing at p", p);
    previous = q;
    const double c = d.cdf(q);
    if (std::isnan(c) || c < 0 || c > 1) property_failed("cdf outside [0, 1]", c);
  }
  continuity::trial_engine e(seed, 7);
  for (int i = 0; i < 4; ++i) {
    const double x = d.sample(e);
    if (std::isnan(x)) property_failed("sample is NaN", x);
  }
  if (d.is_count())
    for (int i = 0; i < 2; ++i) (void)d.sample_count(e);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const bool durations = data[0] & 1;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto fail = [](const std::string& problem) {
    throw continuity::value_error("cost line", "fuzz", "amount", problem);
  };
  continuity::distribution<double> d;
  try {
    const auto j = continuity::parse_json_text(text, "<fuzz>");
    d = continuity::detail::read_distribution<double>(j, durations, fail);
  } catch (const continuity::error&) {
    return 0;
  }
  exercise(d, size);
  // What the writer writes reads back to the same distribution (compared by
  // quantiles).
  try {
    const auto back = continuity::detail::read_distribution<double>(
        continuity::parse_json_text(continuity::detail::write_distribution(d).dump()), false, fail);
    if (!continuity::detail::same_distribution(back, d)) property_failed("write/read differs", 0);
  } catch (const continuity::error& e) {
    std::fprintf(stderr, "fuzz: written distribution does not read back: %s\n", e.what());
    std::abort();
  }
  return 0;
}
