// Tests of the random sub-streams of a simulated year (random/stream_key.hpp
// and the keys incident_simulation.hpp builds from it): no draw repeats
// another, however many steps a procedure has or however often a scenario
// occurs in a year (the variance of a sum of many sampled steps and of a
// compound Poisson year against their closed forms), and a draw depends on
// the names of what it is for, not on positions in the model's arrays.
#include <continuity/io/json.hpp>
#include <continuity/loss.hpp>
#include <continuity/random/stream_key.hpp>

#include <catch2/catch.hpp>

#include "support/json_text.hpp"

#include <cmath>
#include <set>
#include <string>
#include <vector>

namespace {


struct moments {
  double mean = 0, variance = 0;
};

template <class Values>
moments moments_of(const Values& v) {
  moments r;
  const auto n = static_cast<double>(v.size());
  for (double x : v) r.mean += x;
  r.mean /= n;
  for (double x : v) r.variance += (x - r.mean) * (x - r.mean);
  r.variance /= n - 1;
  return r;
}

// One system whose emergency procedure is `steps` steps of U(0, 2) hours, all
// held by the one IT person (so they run one after another), and a function
// that costs 1 per hour it is down: one occurrence costs its outage in hours.
std::string steps_model(int steps) {
  std::string list;
  for (int k = 0; k < steps; ++k) {
    if (k) list += ", ";
    list += R"({"name": "step )" + std::to_string(k) +
            R"(", "kind": "recovery_work", "duration": {"uniform": [0, 2]}, "needs": ["IT"]})";
  }
  return R"({"name": "steps", "resources": [{"name": "IT", "capacity": 1}],
    "functions": [{"name": "f", "needs": ["X"]}],
    "systems": [{"name": "X", "recovery": {"emergency": [)" + list + R"(]}}],
    "scenarios": [{"name": "s", "kind": "it_failure", "annual_frequency": 1,
      "damage": [{"systems": ["X"]}],
      "costs": [{"name": "outage", "driver": "per_outage_hour", "function": "f", "amount": 1}]}]})";
}

} // namespace

TEST_CASE("stream_key: components in order, names by their bytes, no wrap-around") {
  using continuity::stream_key;
  const stream_key base(3);
  CHECK(base.then("ab") == base.then(std::string("ab")));
  CHECK(base.then("ab") != base.then("ba"));
  CHECK(base.then("a").then("b") != base.then("b").then("a"));
  CHECK(base.then("a").then("b") != base.then("ab"));
  CHECK(base.then(1).then(2) != base.then(2).then(1));
  CHECK(stream_key(3) != stream_key(4));
  CHECK(base.then_hash(stream_key::hash_name("病院")) == base.then("病院"));
  // Numbers that a bit mask would have folded together stay apart.
  std::set<std::uint64_t> keys;
  for (std::uint64_t x : {0ull, 32ull, 64ull, 1024ull, 1ull << 28, 1ull << 32, 1ull << 63})
    keys.insert(base.then(x).value());
  CHECK(keys.size() == 7);
  // The mixer is a bijection: distinct inputs, distinct outputs (spot check).
  std::set<std::uint64_t> mixed;
  for (std::uint64_t x = 0; x < 100000; ++x) mixed.insert(stream_key::mix(x));
  CHECK(mixed.size() == 100000);
}

TEST_CASE("trial_engine sub-streams: sub-stream 0 is the trial's stream, others are unrelated") {
  continuity::trial_engine a(7, 11), b(7, 11, 0), c(7, 11, 1), d(7, 12, 1), e(8, 11, 1);
  CHECK(a == b);
  const auto first = a();
  CHECK(first == b());
  CHECK(c() != first);
  CHECK(d() != first);
  CHECK(e() != first);
  // Equal keys in different trials or seeds give different streams.
  continuity::trial_engine c2(7, 11, 1), d2(7, 12, 1), e2(8, 11, 1);
  CHECK(c2() != d2());
  CHECK(c2() != e2());
}

TEST_CASE("64 sampled steps in series: the outage has the variance of 64 independent draws") {
  // Var = 64 · (2 − 0)² / 12 = 21.33 h², mean 64 h. A sub-stream reused by
  // step 32 for step 0's draws (a wrap at 32 steps) doubles the variance.
  const auto m = continuity_test::parse(steps_model(64));
  const continuity::incident_simulation<> sim(m);
  constexpr std::uint64_t trials = 5000;
  std::vector<double> outage;
  outage.reserve(trials);
  auto ignore = [](const continuity::incident_input&, double) {};
  for (std::uint64_t t = 0; t < trials; ++t)
    outage.push_back(sim.sample_occurrence(0, 2024, t, 0, ignore).total);
  const auto mo = moments_of(outage);
  const double exact_mean = 64.0, exact_variance = 64.0 * 4.0 / 12.0;
  // Standard errors: mean sqrt(21.3 / 5000) = 0.065 h; variance about
  // sqrt(2 / 5000) = 2 % (the sum is close to normal). Tolerances 5 SE; the
  // doubled variance of a wrap is 50 SE away.
  CHECK(std::abs(mo.mean - exact_mean) < 5 * std::sqrt(exact_variance / trials));
  CHECK(mo.variance == Approx(exact_variance).epsilon(0.10));
}

TEST_CASE("a step's draws depend on its system's name and place, not on other systems") {
  // The same step of system X, with and without another system listed before it.
  const auto alone = continuity_test::parse(steps_model(3));
  const auto with_other = continuity_test::parse(R"({"name": "steps", "resources": [{"name": "IT", "capacity": 1}],
    "functions": [{"name": "f", "needs": ["X"]}],
    "systems": [{"name": "A", "recovery": {"emergency": [{"name": "a", "kind": "recovery_work",
                   "duration": {"uniform": [0, 2]}, "needs": ["IT"]}]}},
                {"name": "X", "recovery": {"emergency": [
       {"name": "step 0", "kind": "recovery_work", "duration": {"uniform": [0, 2]}, "needs": ["IT"]},
       {"name": "step 1", "kind": "recovery_work", "duration": {"uniform": [0, 2]}, "needs": ["IT"]},
       {"name": "step 2", "kind": "recovery_work", "duration": {"uniform": [0, 2]}, "needs": ["IT"]}]}}],
    "scenarios": [{"name": "s", "kind": "it_failure", "annual_frequency": 1,
      "damage": [{"systems": ["X", "A"]}],
      "costs": [{"name": "outage", "driver": "per_outage_hour", "function": "f", "amount": 1}]}]})");
  const continuity::incident_simulation<> s1(alone), s2(with_other);
  const auto x1 = *alone.find_system("X"), x2 = *with_other.find_system("X");
  for (std::uint64_t t = 0; t < 50; ++t) {
    std::vector<double> d1, d2;
    s1.sample_occurrence(0, 5, t, 3, [&](const continuity::incident_input& in, double v) {
      if (in.kind == continuity::input_kind::step_duration && in.system == x1) d1.push_back(v);
    });
    s2.sample_occurrence(0, 5, t, 3, [&](const continuity::incident_input& in, double v) {
      if (in.kind == continuity::input_kind::step_duration && in.system == x2) d2.push_back(v);
    });
    REQUIRE(d1.size() == 3);
    CHECK(d1 == d2);
  }
}

TEST_CASE("a compound Poisson year at 8,000 events: the variance of its closed form", "[slow]") {
  // N ~ Poisson(λ), each event costs X ~ lognormal(μ, σ): Var(S) = λ·E[X²]
  // = λ·exp(2μ + 2σ²), E[S] = λ·exp(μ + σ²/2). Occurrences that reused the
  // draws of occurrence (k mod 1,024) gave 5× this variance at λ = 8,000.
  const double lambda = 8000, mu = 0, sigma = 1;
  const auto m = continuity_test::parse(R"({"name": "compound", "functions": [{"name": "f"}],
    "scenarios": [{"name": "s", "kind": "it_failure", "annual_frequency": 8000,
      "costs": [{"name": "x", "driver": "fixed", "amount": {"lognormal": {"mu": 0, "sigma": 1}}}]}]})");
  const continuity::incident_simulation<> sim(m);
  constexpr std::uint64_t trials = 2000;
  const auto r = continuity::run(sim, trials, 99);
  const auto mo = moments_of(r.annual_loss);
  const double exact_mean = lambda * std::exp(mu + sigma * sigma / 2);
  const double exact_variance = lambda * std::exp(2 * mu + 2 * sigma * sigma);
  // S is close to normal (8,000 terms): SE of the variance ≈ sqrt(2 / 2000)
  // = 3.2 %; tolerance 15 % (4.7 SE). Mean: 5 SE.
  CHECK(std::abs(mo.mean - exact_mean) < 5 * std::sqrt(exact_variance / trials));
  CHECK(mo.variance == Approx(exact_variance).epsilon(0.15));
}
