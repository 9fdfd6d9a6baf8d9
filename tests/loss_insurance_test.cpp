// Tests of continuity/model/insurance_policy.hpp, loss/insurance.hpp,
// loss/incident_insurance.hpp and loss/loss_split.hpp: a per-event
// deductible and limit on a compound Poisson–lognormal portfolio against the
// limited expected value of the lognormal (Boost.Math), the annual aggregate
// limit capping every trial, gross = insured + retained exactly in every
// trial, sub-limits, the waiting period against hand-computed accruals,
// several policies on one event, validation errors naming the field, the
// model file round trip, and reproducibility for any thread count.
#include <continuity/io/json.hpp>
#include <continuity/loss.hpp>

#include <catch2/catch.hpp>

#include "support/json_text.hpp"

#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace {

using continuity::cost_category;
using continuity::insurance_policy;
using continuity_test::check_names;
using continuity_test::parse;
using continuity_test::thrown;

constexpr double no_limit = std::numeric_limits<double>::infinity();

// E[min(X, u)] of a lognormal(mu, sigma) X: the limited expected value.
double lognormal_lev(double mu, double sigma, double u) {
  const boost::math::normal_distribution<double> z;
  const double lu = std::log(u);
  return std::exp(mu + sigma * sigma / 2) * boost::math::cdf(z, (lu - mu - sigma * sigma) / sigma) +
         u * (1 - boost::math::cdf(z, (lu - mu) / sigma));
}

insurance_policy<> policy(std::string name, double deductible, double limit = no_limit,
                          double aggregate = no_limit) {
  insurance_policy<> p;
  p.name = std::move(name);
  p.deductible = deductible;
  p.limit = limit;
  p.aggregate_limit = aggregate;
  return p;
}

// Every trial: insured + retained == gross exactly, both non-negative.
void check_split(const continuity::simulation_result<>& r) {
  REQUIRE(r.insured_loss.size() == r.annual_loss.size());
  REQUIRE(r.retained_loss.size() == r.annual_loss.size());
  for (Eigen::Index t = 0; t < r.annual_loss.size(); ++t) {
    REQUIRE(r.insured_loss[t] + r.retained_loss[t] == r.annual_loss[t]);
    REQUIRE(r.insured_loss[t] >= 0);
    REQUIRE(r.retained_loss[t] >= 0);
  }
}

Eigen::Index column_named(const continuity::simulation_result<>& r, const std::string& name) {
  const auto it = std::find(r.breakdown_names.begin(), r.breakdown_names.end(), name);
  REQUIRE(it != r.breakdown_names.end());
  return static_cast<Eigen::Index>(it - r.breakdown_names.begin());
}

// One function f of 100 an hour (2,400 a day), down 10 h while X is
// restored: lost profit 1,000. Cost lines: response 1,000 fixed; opportunity
// 13 an outage hour (130). A money impact curve in the opportunity category:
// 5 an hour from 0, a lump of 70 at 2 h, 1 an hour and a lump of 40 from
// 6 h: 5·6 + 1·4 + 70 + 40 = 144. Gross 2,274; opportunity 1,274.
std::string insured_model(const std::string& insurance, double frequency = 1) {
  return R"({"name": "t", "resources": [{"name": "IT", "capacity": 1}],
    "functions": [{"name": "f", "revenue_per_day": 2400, "needs": ["X"],
      "impact": [{"category": "opportunity", "steps": [
        {"after": 0, "rate_per_hour": 5}, {"after": 2, "rate_per_hour": 5, "lump": 70},
        {"after": 6, "rate_per_hour": 1, "lump": 40}]}]}],
    "systems": [{"name": "X",
      "recovery": {"emergency": [{"name": "w", "kind": "recovery_work", "duration": 10, "needs": ["IT"]}]}}],
    "scenarios": [{"name": "s", "kind": "it_failure", "annual_frequency": )" +
         std::to_string(frequency) + R"(,
      "damage": [{"systems": ["X"]}],
      "costs": [{"name": "recovery", "category": "response", "amount": 1000},
                {"name": "hourly", "category": "opportunity", "driver": "per_outage_hour", "amount": 13}]},
      {"name": "other", "kind": "fire", "damage": [{"systems": ["X"]}]}],
    "insurance": )" + insurance + "}";
}

} // namespace

TEST_CASE("insurance: a deductible and a limit per event on a compound Poisson–lognormal portfolio "
          "give λ·(LEV(d+l) − LEV(d))", "[slow]") {
  const double lambda = 2.0, mu = 9.0, sigma = 1.5, d = 5000, l = 40000;
  continuity::scenario_portfolio<> p({continuity::loss_scenario<>(
                                         "breach", continuity::poisson<>(lambda),
                                         continuity::lognormal<>(mu, sigma))},
                                     {policy("cyber", d, l)});
  const auto r = continuity::run(p, 400000, 17);
  check_split(r);
  const continuity::loss_statistics<> insured(r.insured_loss), gross(r.annual_loss);
  const double expected = lambda * (lognormal_lev(mu, sigma, d + l) - lognormal_lev(mu, sigma, d));
  INFO("mean insured " << insured.mean() << " ± " << insured.standard_error() << ", closed form "
                       << expected);
  CHECK(std::abs(insured.mean() - expected) < 3 * insured.standard_error());
  // The gross side too: λ·E[X].
  const double gross_expected = lambda * std::exp(mu + sigma * sigma / 2);
  INFO("mean gross " << gross.mean() << " ± " << gross.standard_error() << ", closed form "
                     << gross_expected);
  CHECK(std::abs(gross.mean() - gross_expected) < 3 * gross.standard_error());
}

TEST_CASE("insurance: a second policy of the portfolio leaves its losses unchanged") {
  const auto scenarios = [] {
    return std::vector<continuity::loss_scenario<>>{
        {"breach", continuity::poisson<>(2.0), continuity::lognormal<>(9.0, 1.5)},
        {"outage", continuity::poisson<>(12.0), continuity::gamma<>(2.0, 500.0)},
        continuity::fair_product_form<double>("fair", continuity::pert<>(0.1, 0.5, 2.0),
                                        continuity::lognormal<>(8.0, 1.0))};
  };
  const continuity::scenario_portfolio<> bare(scenarios());
  auto cover = policy("cover", 100, 20000);
  cover.scenarios = {"breach", "outage"};
  const continuity::scenario_portfolio<> insured(scenarios(), {cover});
  const auto a = continuity::run(bare, 5000, 3), b = continuity::run(insured, 5000, 3);
  CHECK((a.annual_loss == b.annual_loss).all());
  CHECK((a.breakdown == b.breakdown.leftCols(3)).all());
  CHECK(b.breakdown_names.back() == "insured:cover");
  CHECK((a.insured_loss == 0).all());
  CHECK((a.retained_loss == a.annual_loss).all());
  check_split(b);
  CHECK((b.insured_loss > 0).count() > 4000);
  // Insured never more than the covered scenarios' losses.
  for (Eigen::Index t = 0; t < b.annual_loss.size(); ++t)
    REQUIRE(b.insured_loss[t] <= b.breakdown(t, 0) + b.breakdown(t, 1));
  // Compound Poisson–lognormal scenarios alone take the side-by-side batch
  // kernel without insurance; the insured events one by one give the same.
  const auto lognormals = [] {
    return std::vector<continuity::loss_scenario<>>{
        {"breach", continuity::poisson<>(2.0), continuity::lognormal<>(9.0, 1.5)},
        {"outage", continuity::poisson<>(7.5), continuity::lognormal<>(6.0, 0.8)}};
  };
  const continuity::scenario_portfolio<> fast(lognormals()), slow(lognormals(), {cover});
  const auto c = continuity::run(fast, 5000, 4), d = continuity::run(slow, 5000, 4);
  CHECK((c.annual_loss == d.annual_loss).all());
  CHECK((c.breakdown == d.breakdown.leftCols(2)).all());
  check_split(d);
}

TEST_CASE("insurance: the annual aggregate limit caps every trial") {
  // No deductible, no per-event limit: a year's insured loss is exactly
  // min(gross, aggregate).
  const double aggregate = 60000;
  const continuity::scenario_portfolio<> p(
      {{"breach", continuity::poisson<>(3.0), continuity::lognormal<>(9.0, 1.5)}},
      {policy("cyber", 0, no_limit, aggregate)});
  const auto r = continuity::run(p, 20000, 5);
  check_split(r);
  const auto paid = column_named(r, "insured:cyber");
  int capped = 0;
  for (Eigen::Index t = 0; t < r.annual_loss.size(); ++t) {
    REQUIRE(r.breakdown(t, paid) == std::min(r.annual_loss[t], aggregate));
    REQUIRE(r.insured_loss[t] <= aggregate);
    REQUIRE(r.insured_loss[t] == Approx(std::min(r.annual_loss[t], aggregate)).epsilon(1e-15));
    capped += r.annual_loss[t] > aggregate;
  }
  CHECK(capped > 1000); // the cap was reached
  // With a deductible and a per-event limit as well, the cap still holds.
  const continuity::scenario_portfolio<> q(
      {{"breach", continuity::poisson<>(3.0), continuity::lognormal<>(9.0, 1.5)}},
      {policy("cyber", 1000, 30000, aggregate)});
  const auto s = continuity::run(q, 20000, 5);
  check_split(s);
  CHECK(s.insured_loss.maxCoeff() <= aggregate);
  CHECK(s.insured_loss.maxCoeff() == aggregate);
}

TEST_CASE("insurance: a simulated year settles its occurrences against the aggregate limit") {
  // Every occurrence costs 2,274 (nothing random but the count); a policy
  // with deductible 100 and limit 1,000 recovers 1,000 per occurrence, at
  // most 2,500 a year.
  const auto m = parse(insured_model(
      R"([{"name": "cover", "deductible": 100, "limit": 1000, "aggregate_limit": 2500, "scenarios": ["s"]}])",
      1.5));
  const continuity::incident_simulation<> sim(m);
  const auto r = continuity::run(sim, 4000, 21);
  check_split(r);
  const auto events = static_cast<Eigen::Index>(sim.events_column(0));
  for (Eigen::Index t = 0; t < r.annual_loss.size(); ++t) {
    const double n = r.breakdown(t, events);
    REQUIRE(r.annual_loss[t] == Approx(2274 * n));
    REQUIRE(r.insured_loss[t] == std::min(1000 * n, 2500.0));
    REQUIRE(r.breakdown(t, static_cast<Eigen::Index>(sim.insured_column(0))) ==
            std::min(1000 * n, 2500.0));
  }
  CHECK((r.breakdown.col(events) >= 3).count() > 100);
  CHECK(r.breakdown_names.back() == "insured:cover");
  const auto [first, last] = sim.insured_columns();
  CHECK(first == sim.insured_column(0));
  CHECK(last == sim.breakdown_size());
}

TEST_CASE("insurance: deterministic cost of an incident, gross, insured and retained") {
  SECTION("deductible, no limits") {
    const auto m = parse(insured_model(R"([{"name": "all risks", "deductible": 100}])"));
    const auto c = continuity::incident_simulation<>(m).point_cost(0);
    CHECK(c.total == Approx(2274));
    CHECK(c.insured == Approx(2174));
    CHECK(c.insured + c.retained == c.total);
    CHECK(c.recoverable == std::vector<double>{c.insured});
    CHECK(c.insured_by_policy == std::vector<double>{c.insured});
  }
  SECTION("sub-limits by category, then the deductible and the limit") {
    // Covered: response min(1,000, 300) + opportunity min(1,274, 500) = 800;
    // less 50 = 750; limit 600.
    const auto m = parse(insured_model(
        R"([{"name": "p", "deductible": 50, "limit": 600, "sublimits": {"response": 300, "opportunity": 500}},
            {"name": "q", "deductible": 50, "sublimits": {"response": 300, "opportunity": 500}}])"));
    const auto c = continuity::incident_simulation<>(m).point_cost(0);
    CHECK(c.recoverable[0] == Approx(600));
    CHECK(c.recoverable[1] == Approx(750));
    // q pays what p's terms leave of the loss: its own terms allow 750.
    CHECK(c.insured_by_policy[0] == Approx(600));
    CHECK(c.insured_by_policy[1] == Approx(750));
    CHECK(c.insured == Approx(1350));
    CHECK(c.retained == Approx(2274 - 1350));
    CHECK(c.insured + c.retained == c.total);
  }
  SECTION("a policy of another scenario recovers nothing") {
    const auto m = parse(insured_model(R"([{"name": "fire", "scenarios": ["other"]}])"));
    const auto c = continuity::incident_simulation<>(m).point_cost(0);
    CHECK(c.insured == 0);
    CHECK(c.retained == c.total);
    CHECK(m.insurance_covers(0, 1));
    CHECK_FALSE(m.insurance_covers(0, 0));
  }
  SECTION("overlapping policies never pay more than the loss") {
    const auto m = parse(insured_model(R"([{"name": "a"}, {"name": "b"}])"));
    const auto c = continuity::incident_simulation<>(m).point_cost(0);
    CHECK(c.insured == c.total);
    CHECK(c.retained == 0);
    CHECK(c.insured_by_policy[0] == c.total);
    CHECK(c.insured_by_policy[1] == 0);
  }
  SECTION("a tower of a primary and an excess layer") {
    const auto m = parse(insured_model(
        R"([{"name": "primary", "limit": 1000}, {"name": "excess", "deductible": 1000, "limit": 1000}])"));
    const auto c = continuity::incident_simulation<>(m).point_cost(0);
    CHECK(c.insured_by_policy[0] == Approx(1000));
    CHECK(c.insured_by_policy[1] == Approx(1000));
    CHECK(c.retained == Approx(274));
  }
  SECTION("the aggregate limit caps a single incident too") {
    const auto m = parse(insured_model(R"([{"name": "a", "aggregate_limit": 500}])"));
    const auto c = continuity::incident_simulation<>(m).point_cost(0);
    CHECK(c.recoverable[0] == Approx(2274));
    CHECK(c.insured == 500);
  }
}

TEST_CASE("insurance: the waiting period leaves out the opportunity cost of its first hours") {
  // In the first 4 h: lost profit 400, the hourly line 52, the curve 5·4 +
  // the lump of 70 at 2 h = 90; together 542 of the opportunity cost of
  // 1,274. The response line is covered whole.
  const auto m = parse(insured_model(R"([{"name": "bi", "deductible": 100, "waiting_period": "4h"}])"));
  const continuity::incident_simulation<> sim(m);
  const auto plan = continuity::plan_recovery(m, 0);
  const std::vector<double> amounts{1000, 13};
  CHECK(continuity::opportunity_cost_within(m, 0, plan.outcome, std::span<const double>(amounts), 4.0) ==
        Approx(542));
  CHECK(continuity::opportunity_cost_within(m, 0, plan.outcome, std::span<const double>(amounts), 0.0) == 0);
  // Past the outage, everything: 1,000 + 130 + 144.
  CHECK(continuity::opportunity_cost_within(m, 0, plan.outcome, std::span<const double>(amounts), 20.0) ==
        Approx(1274));
  // Past the lump at 6 h: lost profit 650, the line 84.5, the curve 5·6 +
  // 1·0.5 and both lumps.
  CHECK(continuity::opportunity_cost_within(m, 0, plan.outcome, std::span<const double>(amounts), 6.5) ==
        Approx(650 + 84.5 + 30 + 0.5 + 110));
  const auto c = sim.point_cost(0);
  CHECK(c.insured == Approx(1000 + (1274 - 542) - 100));
  CHECK(c.insured + c.retained == c.total);
  // A waiting period longer than the outage leaves only the response line.
  const auto long_wait =
      parse(insured_model(R"([{"name": "bi", "deductible": 100, "waiting_period": "2d"}])"));
  CHECK(continuity::incident_simulation<>(long_wait).point_cost(0).insured == Approx(900));
}

TEST_CASE("insurance: the waiting period follows the week of a week_start scenario") {
  // A weekday business (5 days, 1,000 profit a day) closed two weeks by an
  // incident as its week begins loses 10 days' profit. A waiting period of
  // 3 days leaves out the first 3 operating days (3,000), not 3/7 of a
  // week's average; one of 6 days, all 5 days of the first week (5,000).
  const auto wait = [](const char* hours) {
    return parse(std::string(R"({"name": "t", "resources": [{"name": "IT", "capacity": 1}],
      "functions": [{"name": "f", "revenue_per_day": 1000, "operating_days_per_week": 5, "needs": ["X"]}],
      "systems": [{"name": "X",
        "recovery": {"emergency": [{"name": "w", "kind": "recovery_work", "duration": "2w", "needs": ["IT"]}]}}],
      "scenarios": [{"name": "s", "kind": "fire", "starts": "week_start", "damage": [{"systems": ["X"]}]}],
      "insurance": [{"name": "bi", "waiting_period": ")") + hours + R"("}]})");
  };
  const auto three = continuity::incident_simulation<>(wait("3d")).point_cost(0);
  CHECK(three.total == Approx(10000));
  CHECK(three.insured == Approx(7000));
  CHECK(continuity::incident_simulation<>(wait("6d")).point_cost(0).insured == Approx(5000));
  // 9 days: the 5 of the first week and 2 of the second.
  CHECK(continuity::incident_simulation<>(wait("9d")).point_cost(0).insured == Approx(3000));
  const auto m = wait("1h");
  const auto plan = continuity::plan_recovery(m, 0);
  const std::vector<double> none;
  const auto within = [&](double hours) {
    return continuity::opportunity_cost_within(m, 0, plan.outcome, std::span<const double>(none), hours);
  };
  CHECK(within(1e9) == plan.outcome.functions[0].lost_profit);
  CHECK(within(24.0 * 12) == Approx(10000));
  CHECK(within(24.0 * 7) == Approx(5000));
}

TEST_CASE("insurance: per-event and annual rules by hand") {
  auto p = policy("p", 10, 100, 150);
  p.sublimits[static_cast<std::size_t>(cost_category::legal)] = 5;
  CHECK(continuity::insurance_layer(p, 5.0) == 0);
  CHECK(continuity::insurance_layer(p, 50.0) == 40);
  CHECK(continuity::insurance_layer(p, 500.0) == 100);
  const std::array<double, 4> by_category{20, 30, 40, 50}; // liability, response, opportunity, legal
  // 20 + 30 + (40 − 15) + min(50, 5) = 80; − 10 = 70.
  CHECK(continuity::insured_event(p, std::span<const double, 4>(by_category), 15.0) == 70);
  CHECK(continuity::insured_event(p, 60.0) == 50);
  const std::vector<insurance_policy<>> policies{p};
  continuity::insurance_year<> year(policies);
  CHECK(year.settle(std::vector<double>{100}, 500) == 100);
  CHECK(year.settle(std::vector<double>{70}, 80) == 50); // the aggregate leaves 50
  CHECK(year.settle(std::vector<double>{70}, 80) == 0);
  CHECK(year.insured() == 150);
  CHECK(year.paid_by_policy()[0] == 150);
}

TEST_CASE("insurance: split_loss adds up exactly and never raises the insured part") {
  std::mt19937_64 g(7);
  std::lognormal_distribution<double> loss(10, 2);
  std::uniform_real_distribution<double> share(0, 1);
  for (int k = 0; k < 200000; ++k) {
    const double gross = loss(g), insured = gross * share(g) * (k % 3 == 0 ? 1e-3 : 1);
    const auto s = continuity::split_loss(gross, insured);
    REQUIRE(s.insured + s.retained == gross);
    REQUIRE(s.insured <= insured);
    REQUIRE(s.insured == Approx(insured).epsilon(1e-12).margin(gross * 1e-15));
    REQUIRE(s.retained >= 0);
  }
  CHECK(continuity::split_loss(0.0, 5.0).insured == 0);
  CHECK(continuity::split_loss(10.0, 20.0).retained == 0);
  CHECK(continuity::split_loss(10.0, -1.0).insured == 0);
}

TEST_CASE("insurance: same seed, identical results for 1 and 2 threads and for shards") {
  auto spec = continuity::load_model(std::string(CONTINUITY_EXAMPLES_DIR) + "/hospital.json").spec();
  spec.insurance.push_back(policy("cyber", 5e6, 2e8, 3e8));
  spec.insurance.back().waiting_period = 12;
  spec.insurance.back().sublimits[static_cast<std::size_t>(cost_category::legal)] = 0;
  const continuity::model m(spec);
  continuity::scenario_portfolio<> td({{"outage", continuity::poisson<>(2.0),
                                        continuity::lognormal<>::from_interval90(5e5, 1e8)}},
                                      {policy("outage cover", 1e6, 5e7)});
  const continuity::incident_simulation<> sim(m, {}, td);
  continuity::run_options one, two;
  one.threads = 1;
  two.threads = 2;
  two.block_size = 97;
  const auto a = continuity::run(sim, 3000, 5, one), b = continuity::run(sim, 3000, 5, two);
  CHECK((a.annual_loss == b.annual_loss).all());
  CHECK((a.insured_loss == b.insured_loss).all());
  CHECK((a.retained_loss == b.retained_loss).all());
  CHECK((a.breakdown == b.breakdown).all());
  check_split(a);
  CHECK((a.breakdown.col(column_named(a, "insured:cyber")) > 0).count() > 50);
  CHECK((a.breakdown.col(column_named(a, "insured:outage cover")) > 0).count() > 1000);
  std::vector<continuity::simulation_result<>> shards;
  for (std::uint64_t first : {1500u, 0u}) {
    continuity::run_options o;
    o.first_trial = first;
    shards.push_back(continuity::run(sim, 1500, 5, o));
  }
  const auto merged = continuity::concatenate_shards(shards);
  CHECK((merged.insured_loss == a.insured_loss).all());
  CHECK((merged.retained_loss == a.retained_loss).all());
  // Insurance draws nothing: the gross losses are those of the uninsured model.
  const continuity::model bare(continuity::load_model(std::string(CONTINUITY_EXAMPLES_DIR) + "/hospital.json"));
  const continuity::scenario_portfolio<> td_bare(
      {{"outage", continuity::poisson<>(2.0), continuity::lognormal<>::from_interval90(5e5, 1e8)}});
  const auto c = continuity::run(continuity::incident_simulation<>(bare, {}, td_bare), 3000, 5, one);
  CHECK((c.annual_loss == a.annual_loss).all());
  CHECK((c.insured_loss == 0).all());
}

TEST_CASE("insurance: invalid policies are errors naming the policy and the field") {
  using continuity::duplicate_error;
  using continuity::reference_error;
  using continuity::value_error;
  auto model_error = [](const std::string& insurance) {
    return [insurance] { (void)parse(insured_model(insurance)); };
  };
  check_names(thrown<value_error>(model_error(R"([{"name": "p", "deductible": -1}])")),
              "insurance policy", "p", "deductible", {"non-negative"});
  check_names(thrown<value_error>(model_error(R"([{"name": "p", "limit": -5}])")),
              "insurance policy", "p", "limit");
  check_names(thrown<value_error>(model_error(R"([{"name": "p", "aggregate_limit": 2e18}])")),
              "insurance policy", "p", "aggregate_limit", {"at most"});
  check_names(thrown<value_error>(model_error(R"([{"name": "p", "sublimits": {"legal": -1}}])")),
              "insurance policy", "p", "sublimits.legal");
  check_names(thrown<value_error>(model_error(R"([{"name": "p", "sublimits": {"fines": 1}}])")),
              "insurance policy", "p", "sublimits.fines", {"unknown field"});
  check_names(thrown<value_error>(model_error(R"([{"name": "p", "waiting_period": "forever"}])")),
              "insurance policy", "p", "waiting_period");
  check_names(thrown<value_error>(model_error(R"([{"name": "p", "waiting_period": 2e6}])")),
              "insurance policy", "p", "waiting_period", {"at most"});
  check_names(thrown<value_error>(model_error(R"([{"name": "p", "excess": 1}])")),
              "insurance policy", "p", "excess", {"unknown field"});
  check_names(thrown<value_error>(model_error(R"([{"name": ""}])")), "insurance policy", "#1", "name");
  check_names(thrown<value_error>(model_error(R"([{"deductible": 1}])")), "insurance policy", "#1",
              "name", {"required"});
  check_names(thrown<duplicate_error>(model_error(R"([{"name": "p"}, {"name": "p"}])")),
              "insurance policy", "p", "name");
  check_names(thrown<reference_error>(model_error(R"([{"name": "p", "scenarios": ["s", "flood"]}])")),
              "insurance policy", "p", "scenarios[1]", {"flood"});
  check_names(thrown<duplicate_error>(model_error(R"([{"name": "p", "scenarios": ["s", "s"]}])")),
              "insurance policy", "p", "scenarios[1]");
  // Specifications built in code: NaN and infinite deductibles.
  auto spec = parse(insured_model("[]")).spec();
  spec.insurance.push_back(policy("p", std::nan("")));
  check_names(continuity_test::thrown_by_spec<value_error>(spec), "insurance policy", "p", "deductible");
  spec.insurance.back().deductible = no_limit;
  check_names(continuity_test::thrown_by_spec<value_error>(spec), "insurance policy", "p", "deductible");
  spec.insurance.back() = policy("p", 0, std::nan(""));
  check_names(continuity_test::thrown_by_spec<value_error>(spec), "insurance policy", "p", "limit");
  // Top-down portfolios.
  continuity::scenario_portfolio<> td(
      {{"breach", continuity::poisson<>(1.0), continuity::lognormal<>(9.0, 1.0)},
       continuity::fair_product_form<double>("fair", continuity::pert<>(0.1, 0.5, 2.0),
                                       continuity::lognormal<>(8.0, 1.0))});
  check_names(thrown<value_error>([&] { td.insure(policy("all", 0)); }), "insurance policy", "all",
              "scenarios", {"fair", "product form"});
  auto unknown = policy("p", 0);
  unknown.scenarios = {"flood"};
  check_names(thrown<reference_error>([&] { td.insure(unknown); }), "insurance policy", "p",
              "scenarios[0]", {"flood"});
  check_names(thrown<value_error>([&] { td.insure(policy("p", -1)); }), "insurance policy", "p",
              "deductible");
  CHECK(td.insurance().empty()); // failed additions leave nothing behind
  auto breach = policy("breach cover", 0);
  breach.scenarios = {"breach"};
  td.insure(breach);
  check_names(thrown<duplicate_error>([&] { td.insure(breach); }), "insurance policy",
              "breach cover", "name");
  continuity::scenario_portfolio<> all({{"breach", continuity::poisson<>(1.0), continuity::lognormal<>(9.0, 1.0)}},
                                       {policy("all", 0)});
  check_names(thrown<value_error>([&] {
                all.add(continuity::fair_product_form<double>("fair", continuity::pert<>(0.1, 0.5, 2.0),
                                                        continuity::lognormal<>(8.0, 1.0)));
              }),
              "scenario", "fair", "aggregation", {"'all'"});
  // A portfolio's policy named like one of the model's.
  const auto m = parse(insured_model(R"([{"name": "all"}])"));
  check_names(thrown<duplicate_error>([&] { (void)continuity::incident_simulation<>(m, {}, all); }),
              "insurance policy", "all", "name");
}

TEST_CASE("insurance: the model file round trip") {
  const auto m = parse(insured_model(
      R"([{"name": "cyber", "deductible": 1e6, "limit": 5e8, "aggregate_limit": 1e9, "waiting_period": "12h",
           "sublimits": {"legal": 0, "opportunity": 2e8}, "scenarios": ["s"], "description": "primary"},
          {"name": "excess", "deductible": 5e8, "limit": null}])"));
  const auto& ins = m.spec().insurance;
  REQUIRE(ins.size() == 2);
  CHECK(ins[0].waiting_period == 12);
  CHECK(ins[0].sublimit(cost_category::legal) == 0);
  CHECK(ins[0].sublimit(cost_category::response) == no_limit);
  CHECK(ins[1].limit == no_limit);
  CHECK(ins[1].scenarios.empty());
  const auto j = continuity::to_json(m.spec());
  CHECK(j.at("insurance").at(1).count("limit") == 0); // no limit: left out
  CHECK(continuity::read_model_spec(j) == m.spec());
  CHECK(continuity::read_model_spec(nlohmann::json::parse(j.dump())) == m.spec());
  // A model without insurance writes none.
  CHECK(continuity::to_json(parse(insured_model("[]")).spec()).count("insurance") == 0);
}
