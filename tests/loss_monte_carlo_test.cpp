// Tests of continuity/loss/monte_carlo.hpp and continuity/loss/top_down.hpp:
// the W1 reference workload (tests/data/w1.md), reproducibility across
// threads and shards, cancellation, progress, and bottom-up trial models.
#include <continuity/loss.hpp>
#include <continuity/random.hpp>

#include <catch2/catch.hpp>

#include "support/w1.hpp"

#include <atomic>
#include <cmath>
#include <thread>
#include <vector>

using namespace continuity;

namespace {

using continuity_test::w1_portfolio;

bool same(const simulation_result<>& a, const simulation_result<>& b) {
  return a.seed == b.seed && a.first_trial == b.first_trial &&
         a.annual_loss.size() == b.annual_loss.size() && (a.annual_loss == b.annual_loss).all() &&
         a.breakdown.rows() == b.breakdown.rows() && a.breakdown.cols() == b.breakdown.cols() &&
         (a.breakdown == b.breakdown).all() && a.breakdown_names == b.breakdown_names;
}

} // namespace

TEST_CASE("W1 at 10^6 trials matches the reference figures", "[slow]") {
  const auto portfolio = w1_portfolio();
  // Closed-form mean Σ λ·exp(μ + σ²/2) from w1.md: 326,293.12.
  CHECK(portfolio.mean_annual_loss() == Approx(326'293.12).margin(0.01));

  // Seed 1. Over seeds 1..20 the standardised error of the mean,
  // (mean − 326,293.12)/standard error, averaged −0.04 (rms 1.3): no bias.
  const auto result = run(portfolio, 1'000'000, 1);
  REQUIRE(result.trials() == 1'000'000);
  CHECK_FALSE(result.cancelled);
  CHECK(result.breakdown_names == std::vector<std::string>{"ransomware", "data_leak", "outage"});
  const loss_statistics<> s(result.annual_loss);
  INFO("mean " << s.mean() << " ± " << s.standard_error() << ", VaR99 " << s.value_at_risk(0.99)
               << ", TVaR99 " << s.tail_value_at_risk(0.99));
  // Acceptance bounds of tests/data/w1.md: mean within 3 standard errors of the
  // closed form, VaR 99 % within 1 % of 2,842,250 and TVaR 99 % within 2 % of
  // 4,620,000 (Panjer recursion references).
  CHECK(std::abs(s.mean() - 326'293.12) < 3 * s.standard_error());
  CHECK(s.value_at_risk(0.99) == Approx(2'842'250.0).epsilon(0.01));
  CHECK(s.tail_value_at_risk(0.99) == Approx(4'620'000.0).epsilon(0.02));
  // Looser checks of the other reference figures (sampling error at 10^6
  // trials is about 0.5 % at 90–95 % and 3 % at 99.9 %).
  CHECK(s.value_at_risk(0.90) == Approx(777'750.0).epsilon(0.02));
  CHECK(s.value_at_risk(0.95) == Approx(1'234'750.0).epsilon(0.02));
  CHECK(s.value_at_risk(0.999) == Approx(7'035'500.0).epsilon(0.06));
  CHECK(s.tail_value_at_risk(0.95) == Approx(2'336'000.0).epsilon(0.03));

  // Each scenario's column has its own closed-form mean, and the columns add
  // up to the total in the order the model sums them.
  for (Eigen::Index c = 0; c < 3; ++c) {
    const loss_statistics<> column(Eigen::ArrayXd(result.breakdown.col(c)));
    const double expected = portfolio.scenarios()[static_cast<std::size_t>(c)].mean_annual_loss();
    CHECK(std::abs(column.mean() - expected) < 4 * column.standard_error());
  }
  bool sums_match = true;
  for (Eigen::Index t = 0; t < result.annual_loss.size(); ++t) {
    double total = 0;
    for (Eigen::Index c = 0; c < 3; ++c) total += result.breakdown(t, c);
    sums_match = sums_match && total == result.annual_loss(t);
  }
  CHECK(sums_match);
}

TEST_CASE("same seed gives bit-identical results for any thread count and block size") {
  const auto portfolio = w1_portfolio();
  const std::uint64_t trials = 200'000, seed = 7;
  run_options one_thread;
  one_thread.threads = 1;
  run_options two_threads;
  two_threads.threads = 2;
  two_threads.block_size = 1000;
  run_options many;
  many.threads = 5;
  many.block_size = 333;
  const auto a = run(portfolio, trials, seed, one_thread);
  const auto b = run(portfolio, trials, seed, two_threads);
  const auto c = run(portfolio, trials, seed, many);
  CHECK(same(a, b));
  CHECK(same(a, c));

  SECTION("different seeds differ") {
    const auto d = run(portfolio, trials, seed + 1, two_threads);
    CHECK((d.annual_loss != a.annual_loss).count() > static_cast<Eigen::Index>(trials / 2));
  }

  SECTION("one run equals four shards merged, in any order") {
    std::vector<simulation_result<>> shards;
    const std::uint64_t bounds[] = {0, 1, 70'001, 150'000, trials};
    for (int k = 3; k >= 0; --k) { // produced out of order
      run_options o;
      o.threads = 2;
      o.first_trial = bounds[k];
      shards.push_back(run(portfolio, bounds[k + 1] - bounds[k], seed, o));
    }
    const auto merged = concatenate_shards(shards);
    CHECK(same(a, merged));
    // statistics of the shards merge exactly too
    auto stats = loss_statistics<>(shards[0].annual_loss);
    for (std::size_t k = 1; k < shards.size(); ++k)
      stats = loss_statistics<>::merge(stats, loss_statistics<>(shards[k].annual_loss));
    const loss_statistics<> whole(a.annual_loss);
    CHECK(stats.mean() == whole.mean());
    CHECK(stats.tail_value_at_risk(0.99) == whole.tail_value_at_risk(0.99));
  }

  SECTION("shards that do not fit together are rejected") {
    run_options o;
    o.first_trial = 10;
    std::vector<simulation_result<>> gap{run(portfolio, 5, seed), run(portfolio, 5, seed, o)};
    CHECK_THROWS_AS(concatenate_shards(gap), value_error);
    std::vector<simulation_result<>> seeds{run(portfolio, 5, seed), run(portfolio, 5, seed + 1)};
    CHECK_THROWS_AS(concatenate_shards(seeds), value_error);
    CHECK_THROWS_AS(concatenate_shards(std::vector<simulation_result<>>{}), value_error);
  }
}

namespace monte_carlo_run_into_test {

/// W1 with a deductible and a limit on every outage, so that the insured
/// and retained losses are not trivial.
scenario_portfolio<> insured_w1() {
  insurance_policy<> policy;
  policy.name = "outage cover";
  policy.deductible = 10'000;
  policy.limit = 50'000;
  policy.scenarios = {"outage"};
  auto p = w1_portfolio();
  p.insure(policy);
  return p;
}

std::vector<double> as_vector(const Eigen::ArrayXd& a) { return {a.begin(), a.end()}; }

} // namespace monte_carlo_run_into_test

TEST_CASE("run_into writes what run returns into the caller's storage") {
  using monte_carlo_run_into_test::as_vector;
  const auto portfolio = monte_carlo_run_into_test::insured_w1();
  const std::uint64_t trials = 20'000, seed = 5;
  run_options o;
  o.threads = 2;
  o.block_size = 1000;
  o.first_trial = 77;
  const auto r = run(portfolio, trials, seed, o);
  std::vector<double> annual(trials), insured(trials), retained(trials);
  std::vector<double> breakdown(trials * portfolio.breakdown_size());
  CHECK(run_into(portfolio, trials, seed, o,
                 trial_outputs<double>{annual, breakdown, insured, retained}) == trials);
  CHECK(annual == as_vector(r.annual_loss));
  CHECK(insured == as_vector(r.insured_loss));
  CHECK(retained == as_vector(r.retained_loss));
  CHECK(breakdown == std::vector<double>(r.breakdown.data(), r.breakdown.data() + r.breakdown.size()));
  CHECK(r.insured_loss.maxCoeff() > 0);

  SECTION("the annual and retained loss alone, on one thread") {
    o.threads = 1;
    std::vector<double> alone(trials), kept(trials);
    CHECK(run_into(portfolio, trials, seed, o, trial_outputs<double>{alone, {}, {}, kept}) == trials);
    CHECK(alone == annual);
    CHECK(kept == retained);
  }
  SECTION("spans of the wrong size are errors") {
    std::vector<double> short_annual(trials - 1);
    CHECK_THROWS_AS(run_into(portfolio, trials, seed, o, trial_outputs<double>{short_annual}),
                    value_error);
    CHECK_THROWS_AS(run_into(portfolio, trials, seed, o,
                             trial_outputs<double>{annual, std::span<double>(breakdown).first(trials)}),
                    value_error);
  }
  SECTION("a cancelled run says how many trials it completed") {
    std::atomic<bool> cancel{true};
    o.cancel = &cancel;
    CHECK(run_into(portfolio, trials, seed, o, trial_outputs<double>{annual}) == 0);
  }
}

TEST_CASE("trial i draws from trial_engine(seed, i)") {
  const auto portfolio = w1_portfolio();
  run_options o;
  o.first_trial = 123'456;
  const auto r = run(portfolio, 10, 99, o);
  for (std::uint64_t t = 0; t < 10; ++t) {
    trial_engine engine(99, 123'456 + t);
    double breakdown[3];
    CHECK(r.annual_loss(static_cast<Eigen::Index>(t)) ==
          portfolio(engine, std::span<double>(breakdown)));
  }
}

namespace {

/// A portfolio year computed draw by draw with the public samplers
/// (poisson::count, the lognormal's own operator(), which uses std::exp):
/// every scenario's count first, then every scenario's event losses. An
/// independent statement of the documented draw order.
std::vector<double> year_by_hand(const scenario_portfolio<>& p, trial_engine& engine) {
  std::vector<double> loss, events;
  for (const auto& s : p.scenarios())
    events.push_back(static_cast<double>(s.frequency().sample_count(engine)));
  for (std::size_t k = 0; k < p.size(); ++k) {
    double total = 0;
    for (double e = 0; e < events[k]; ++e) total += p.scenarios()[k].loss_per_event().sample(engine);
    loss.push_back(total);
  }
  return loss;
}

/// Compares run() over `trials` trials with year_by_hand; the losses agree
/// to 1e-13 relative (Eigen's SIMD exp against std::exp: within 2 ulp), and
/// the engine of a single year (operator()) ends where the hand-made one does.
void check_against_hand(const scenario_portfolio<>& p, std::uint64_t trials, std::uint64_t seed) {
  const auto r = run(p, trials, seed);
  std::uint64_t mismatches = 0, nonzero = 0;
  double worst = 0;
  for (std::uint64_t t = 0; t < trials; ++t) {
    trial_engine hand(seed, t), single(seed, t);
    const auto expected = year_by_hand(p, hand);
    std::vector<double> by_scenario(p.size());
    const double total = p(single, std::span<double>(by_scenario));
    double sum = 0;
    for (std::size_t k = 0; k < p.size(); ++k) {
      const double got = r.breakdown(static_cast<Eigen::Index>(t), static_cast<Eigen::Index>(k));
      const double rel = expected[k] == 0 ? std::abs(got) : std::abs(got / expected[k] - 1);
      worst = std::max(worst, rel);
      nonzero += expected[k] != 0 ? 1u : 0u;
      mismatches += got == by_scenario[k] ? 0u : 1u;
      sum += got;
    }
    mismatches += sum == r.annual_loss(static_cast<Eigen::Index>(t)) && total == sum ? 0u : 1u;
    mismatches += hand == single ? 0u : 1u;
  }
  INFO("worst relative difference " << worst);
  CHECK(worst < 1e-13);
  CHECK(mismatches == 0);
  CHECK(nonzero > trials / 2);
}

} // namespace

TEST_CASE("a portfolio year draws every count, then every event's loss") {
  SECTION("W1: the trials of a group are computed side by side") {
    // 20,000 trials hold about 800 whose normals leave the ziggurat's fast
    // path and some with 8 or more outages: both computed one by one.
    check_against_hand(w1_portfolio(), 20'000, 11);
  }
  SECTION("frequent events: counts of 8 and more, over 16 events a year") {
    scenario_portfolio<> p;
    p.add({"often", poisson<>(6.0), lognormal<>(1.0, 0.5)});
    p.add({"very often", poisson<>(9.5), lognormal<>(0.0, 1.0)});
    check_against_hand(p, 5'000, 12);
  }
  SECTION("a batch of more than 64 trials, called directly") {
    const auto p = w1_portfolio();
    const std::size_t n = 150;
    std::vector<trial_engine> engines, alone;
    for (std::size_t j = 0; j < n; ++j) {
      engines.emplace_back(21, 1'000 + j);
      alone.emplace_back(21, 1'000 + j);
    }
    std::vector<double> annual(n), by_scenario(n * p.size());
    p.evaluate_batch(std::span<trial_engine>(engines), std::span<double>(annual),
                     std::span<double>(by_scenario));
    std::size_t mismatches = 0;
    for (std::size_t j = 0; j < n; ++j) {
      std::vector<double> row(p.size());
      mismatches += p(alone[j], std::span<double>(row)) == annual[j] ? 0u : 1u;
      for (std::size_t k = 0; k < p.size(); ++k)
        mismatches += row[k] == by_scenario[k * n + j] ? 0u : 1u;
      mismatches += engines[j] == alone[j] ? 0u : 1u;
    }
    CHECK(mismatches == 0);
  }
  SECTION("portfolios the side-by-side kernel does not take") {
    scenario_portfolio<> p; // a rate above the inversion limit, other families
    p.add({"storm", poisson<>(12.0), lognormal<>(0.0, 0.3)});
    p.add({"leak", negative_binomial<>(2.0, 0.5), continuity::gamma<>(2.0, 100.0)});
    p.add({"outage", poisson<>(1.0), lognormal<>(2.0, 1.0)});
    check_against_hand(p, 3'000, 13);
  }
}

namespace monte_carlo_kernel_test {

/// A trial_engine under another type: scenario_portfolio::evaluate_batch
/// then computes every trial one draw after another (the side-by-side
/// kernel takes trial_engine only), from the same numbers.
struct one_by_one_engine {
  using result_type = std::uint64_t;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }
  result_type operator()() { return engine(); }
  trial_engine engine;
};

/// The number of trials of `first` … `first + trials - 1` whose scenario
/// losses or engine after the year differ, bit for bit, between the batches
/// of 64 (side by side; given as trial engines, and as a trial_engine_group
/// as run_into gives them) and the trials one by one.
std::size_t differences(const scenario_portfolio<>& p, std::uint64_t seed, std::uint64_t first,
                        std::size_t trials) {
  constexpr std::size_t group = 64;
  std::size_t differing = 0;
  std::vector<double> annual(group), by_scenario(group * p.size()), annual_alone(group),
      alone(group * p.size()), annual_group(group), by_scenario_group(group * p.size());
  for (std::size_t g = 0; g < trials; g += group) {
    const std::size_t n = std::min(group, trials - g);
    std::vector<trial_engine> engines(n);
    trial_engine::make(seed, first + g, n, engines.data());
    std::vector<one_by_one_engine> slow;
    for (const auto& e : engines) slow.push_back({e});
    p.evaluate_batch(std::span<trial_engine>(engines), std::span<double>(annual).first(n),
                     std::span<double>(by_scenario).first(n * p.size()));
    p.evaluate_batch(std::span<one_by_one_engine>(slow), std::span<double>(annual_alone).first(n),
                     std::span<double>(alone).first(n * p.size()));
    trial_engine_group lanes(seed, first + g, n);
    p.evaluate_group(lanes, std::span<double>(annual_group).first(n),
                     std::span<double>(by_scenario_group).first(n * p.size()));
    for (std::size_t j = 0; j < n; ++j) {
      bool same = annual[j] == annual_alone[j] && engines[j] == slow[j].engine &&
                  annual_group[j] == annual_alone[j] && lanes.engine(j) == slow[j].engine;
      for (std::size_t s = 0; s < p.size(); ++s)
        same = same && by_scenario[s * n + j] == alone[s * n + j] &&
               by_scenario_group[s * n + j] == alone[s * n + j];
      differing += same ? 0u : 1u;
    }
  }
  return differing;
}

} // namespace monte_carlo_kernel_test

TEST_CASE("the side-by-side kernel gives the trials' one-by-one results, bit for bit") {
  using monte_carlo_kernel_test::differences;
  SECTION("W1") { CHECK(differences(w1_portfolio(), 3, 1'000'000, 30'000) == 0); }
  SECTION("frequent events: counts of 8 and more, up to 16 events a year and over") {
    scenario_portfolio<> p;
    p.add({"often", poisson<>(6.0), lognormal<>(1.0, 0.5)});
    p.add({"very often", poisson<>(9.5), lognormal<>(0.0, 1.0)});
    CHECK(differences(p, 4, 0, 5'000) == 0);
  }
  SECTION("many scenarios, some rare, groups cut short") {
    scenario_portfolio<> p;
    for (int s = 0; s < 7; ++s)
      p.add({"s" + std::to_string(s), poisson<>(0.05 + 0.4 * s), lognormal<>(s, 0.2 + 0.3 * s)});
    CHECK(differences(p, 5, 12'345, 10'000 + 37) == 0);
    scenario_portfolio<> most;
    for (int s = 0; s < 16; ++s)
      most.add({"s" + std::to_string(s), poisson<>(0.1 * (s % 4) + 0.01), lognormal<>(0.5 * s, 1.0)});
    CHECK(differences(most, 6, 7, 5'000 + 5) == 0);
  }
  SECTION("portfolios the kernel does not take: evaluate_group computes them one by one") {
    scenario_portfolio<> p;
    p.add({"storm", poisson<>(12.0), lognormal<>(0.0, 0.3)});
    p.add({"outage", poisson<>(1.0), lognormal<>(2.0, 1.0)});
    CHECK(differences(p, 7, 99, 1'000 + 13) == 0);
  }
}

TEST_CASE("cancellation and progress") {
  const auto portfolio = w1_portfolio();
  const std::uint64_t trials = 100'000;
  run_options base;
  base.threads = 1;
  base.block_size = 1000;
  const auto full = run(portfolio, trials, 3, base);

  SECTION("a flag already set cancels before any trial") {
    std::atomic<bool> cancel{true};
    run_options o = base;
    o.cancel = &cancel;
    const auto r = run(portfolio, trials, 3, o);
    CHECK(r.cancelled);
    CHECK(r.trials() == 0);
  }
  SECTION("a cancellation inside a block keeps the completed blocks: a valid prefix") {
    // The flag is raised by trial 5,500 itself: blocks 0-4 are complete,
    // block 5 is cut short and dropped.
    std::atomic<bool> cancel{false};
    std::atomic<std::uint64_t> evaluated{0};
    auto counting = make_trial_model<double>(
        portfolio.breakdown_names(), [&](trial_engine& e, std::span<double> row) {
          if (evaluated.fetch_add(1) + 1 == 5500) cancel = true;
          return portfolio(e, row);
        });
    run_options o = base;
    o.cancel = &cancel;
    const auto r = run(counting, trials, 3, o);
    CHECK(r.cancelled);
    REQUIRE(r.trials() == 5000);
    CHECK((r.annual_loss == full.annual_loss.head(5000)).all());
    CHECK(evaluated.load() == 5500);
  }
  SECTION("progress is reported while a trial runs, and can stop the run") {
    // Trial 0 does not finish before the first progress report: the report
    // (0 trials done) stops the run, and no block is kept.
    std::atomic<bool> reported{false};
    auto waiting = make_trial_model<double>(
        portfolio.breakdown_names(), [&](trial_engine& e, std::span<double> row) {
          while (!reported.load()) std::this_thread::yield();
          return portfolio(e, row);
        });
    std::vector<std::uint64_t> reports;
    run_options o = base;
    o.progress_interval = 0.001;
    o.progress = [&](std::uint64_t done, std::uint64_t total) {
      CHECK(total == trials);
      reports.push_back(done);
      reported = true;
      return false;
    };
    const auto r = run(waiting, trials, 3, o);
    CHECK(r.cancelled);
    CHECK(r.trials() == 0);
    CHECK(reports == std::vector<std::uint64_t>{0});
  }
  SECTION("progress reaches the total when not stopped (two threads)") {
    std::uint64_t last = 0;
    run_options o = base;
    o.threads = 2;
    o.progress = [&](std::uint64_t done, std::uint64_t) {
      CHECK(done >= last);
      last = done;
      return true;
    };
    const auto r = run(portfolio, trials, 3, o);
    CHECK_FALSE(r.cancelled);
    CHECK(last <= trials);
    CHECK(same(r, full));
  }
}

TEST_CASE("a bottom-up trial model is any callable") {
  // Two cost categories: lost revenue ~ lognormal, recovery cost fixed 1000
  // per outage hour with hours ~ PERT(1, 4, 24); an outage happens with probability 0.2.
  const lognormal<> revenue(8.0, 0.5);
  const pert<> hours(1.0, 4.0, 24.0);
  auto model = make_trial_model({"lost revenue", "recovery"},
                                [=](trial_engine& engine, std::span<double> cost) {
                                  if (uniform01(engine) >= 0.2) {
                                    cost[0] = cost[1] = 0;
                                    return 0.0;
                                  }
                                  cost[0] = revenue(engine);
                                  cost[1] = 1000 * hours(engine);
                                  return cost[0] + cost[1];
                                });
  static_assert(trial_model<decltype(model), double>);
  run_options one, two;
  one.threads = 1;
  two.threads = 2;
  const auto a = run(model, 100'000, 11, one), b = run(model, 100'000, 11, two);
  CHECK(same(a, b));
  CHECK(a.breakdown_names == std::vector<std::string>{"lost revenue", "recovery"});
  const loss_statistics<> s(a.annual_loss);
  const double expected = 0.2 * (revenue.mean() + 1000 * hours.mean());
  CHECK(std::abs(s.mean() - expected) < 4 * s.standard_error());

  auto failing = make_trial_model({}, [](trial_engine& engine, std::span<double>) -> double {
    if (uniform01(engine) < 1e-3) throw std::runtime_error("model failure");
    return 1.0;
  });
  CHECK_THROWS_WITH(run(failing, 100'000, 1), "model failure");
}

TEST_CASE("FAIR product form: same mean, one magnitude per year") {
  // Frequency fixed at 3 events: compound sums 3 independent losses, the
  // product form triples one loss — the same mean, a wider spread.
  const auto magnitude = lognormal<>::from_mean_sd(1000.0, 500.0);
  scenario_portfolio<> compound, product;
  compound.add({"incident", 3.0, magnitude});
  product.add(fair_product_form<double>("incident", 3.0, magnitude));
  CHECK(product.scenarios()[0].aggregation() == loss_aggregation::fair_product_form);
  const loss_statistics<> c(run(compound, 100'000, 5).annual_loss);
  const loss_statistics<> p(run(product, 100'000, 5).annual_loss);
  CHECK(std::abs(c.mean() - 3000) < 4 * c.standard_error());
  CHECK(std::abs(p.mean() - 3000) < 4 * p.standard_error());
  // sd: compound sqrt(3)·500 = 866, product 3·500 = 1500 (2 % tolerance)
  CHECK(c.standard_deviation() == Approx(std::sqrt(3.0) * 500).epsilon(0.02));
  CHECK(p.standard_deviation() == Approx(1500.0).epsilon(0.02));
  // a continuous rate is allowed in product form only
  CHECK_NOTHROW(fair_product_form<double>("rate", pert<>(0.1, 0.5, 2.0), magnitude));
  CHECK_THROWS_AS(loss_scenario<>("rate", pert<>(0.1, 0.5, 2.0), magnitude), value_error);
  CHECK_THROWS_WITH(loss_scenario<>("x", 2.5, magnitude),
                    Catch::Contains("scenario 'x': frequency: must be a count distribution"));
}

TEST_CASE("portfolio validation and run options") {
  scenario_portfolio<> p;
  p.add({"a", poisson<>(1.0), 10.0});
  CHECK_THROWS_AS(p.add({"a", poisson<>(2.0), 10.0}), duplicate_error);
  run_options o;
  o.block_size = 0;
  CHECK_THROWS_AS(run(p, 10, 1, o), value_error);
  const auto empty = run(p, 0, 1);
  CHECK(empty.trials() == 0);
  CHECK(empty.breakdown.cols() == 1);
  // Poisson(1) events of a fixed 10: the annual loss is 10·N exactly
  const auto r = run(p, 50'000, 2);
  const loss_statistics<> s(r.annual_loss);
  CHECK(std::abs(s.mean() - 10.0) < 4 * s.standard_error());
  CHECK(s.standard_deviation() == Approx(10.0).epsilon(0.02));
}
