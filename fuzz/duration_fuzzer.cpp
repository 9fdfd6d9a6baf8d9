// duration_fuzzer — bytes as a duration string (continuity::
// parse_duration_hours: "90min", "4h", "3d", "2w", "6mo", "1y", a plain
// number of hours, "immediate"). A parsed duration is finite; a finite
// number of hours written back with the unit "h" parses to the same value.
#include <continuity/io/duration.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto h = continuity::parse_duration_hours(text);
  if (!h) return 0;
  if (std::isnan(*h)) {
    std::fprintf(stderr, "fuzz: duration parsed to NaN\n");
    std::abort();
  }
  if (std::isfinite(*h)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g h", *h);
    const auto again = continuity::parse_duration_hours(buf);
    if (!again || *again != *h) {
      std::fprintf(stderr, "fuzz: '%s' does not parse back to %.17g\n", buf, *h);
      std::abort();
    }
  }
  return 0;
}
