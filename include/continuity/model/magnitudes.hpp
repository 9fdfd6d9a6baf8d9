// continuity/model/magnitudes.hpp — the largest figures a model accepts:
// larger ones could only overflow the loss arithmetic.
#pragma once

namespace continuity {

/// Largest amount of money a model accepts, in its currency (10^18: beyond
/// any organisation's figures in any currency, and small enough that no sum
/// or product of the analyses can overflow to infinity).
inline constexpr double max_amount = 1e18;
/// Longest finite time a model accepts, in hours (10^6 h, about 114 years).
inline constexpr double max_hours = 1e6;
/// Largest number of records an incident may affect (mean of the distribution).
inline constexpr double max_records = 1e12;
/// Largest annual frequency of a scenario (10^6 a year: one every 32 s).
inline constexpr double max_annual_frequency = 1e6;

} // namespace continuity
