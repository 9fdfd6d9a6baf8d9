// The W1 reference loss workload, shared by the Monte Carlo tests.
#pragma once

#include <continuity/loss.hpp>
#include <continuity/random.hpp>

namespace continuity_test {

/// W1: three independent compound Poisson–lognormal scenarios, each severity
/// given by its 5th and 95th percentiles.
inline continuity::scenario_portfolio<> w1_portfolio() {
  using continuity::lognormal;
  using continuity::poisson;
  continuity::scenario_portfolio<> p;
  p.add({"ransomware", poisson<>(0.30), lognormal<>::from_interval90(50'000.0, 2'000'000.0)});
  p.add({"data_leak", poisson<>(0.50), lognormal<>::from_interval90(20'000.0, 500'000.0)});
  p.add({"outage", poisson<>(2.00), lognormal<>::from_interval90(5'000.0, 100'000.0)});
  return p;
}

} // namespace continuity_test
