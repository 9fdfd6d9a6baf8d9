// continuity/io/duration.hpp — durations written for people: "90min", "4h",
// "3d", "2w", "6mo" or a plain number of hours.
#pragma once

#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>

namespace continuity {

/// Parses a duration into hours: a number followed by an optional unit —
/// "min", "h", "d" (24 h), "w" (7 d), "mo" (30 d), "y" (365 d); no unit
/// means hours. "immediate" and "0" are 0 h. Spaces between number and unit
/// are allowed. Returns nullopt if the text is not a duration (negative
/// values are returned as such, for the caller to reject).
inline std::optional<double> parse_duration_hours(std::string_view text) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  };
  text = trim(text);
  if (text == "immediate" || text == "immediately") return 0.0;
  std::size_t i = 0;
  while (i < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.' || text[i] == '-' ||
          text[i] == '+' || text[i] == 'e' || text[i] == 'E')) {
    // stop before a unit starting with 'e'? none does; exponent only after a digit
    ++i;
  }
  if (i == 0) return std::nullopt;
  double value = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + i, value);
  if (ec != std::errc{} || p != text.data() + i || !std::isfinite(value)) return std::nullopt;
  const std::string_view unit = trim(text.substr(i));
  double factor = 0;
  if (unit.empty() || unit == "h" || unit == "hour" || unit == "hours")
    factor = 1;
  else if (unit == "min" || unit == "minute" || unit == "minutes")
    factor = 1.0 / 60;
  else if (unit == "d" || unit == "day" || unit == "days")
    factor = 24;
  else if (unit == "w" || unit == "week" || unit == "weeks")
    factor = 168;
  else if (unit == "mo" || unit == "month" || unit == "months")
    factor = 720;
  else if (unit == "y" || unit == "year" || unit == "years")
    factor = 8760;
  else
    return std::nullopt;
  return value * factor;
}

} // namespace continuity
