// Tests of continuity/loss/statistics.hpp against hand-computed small arrays
// and closed forms of the uniform and exponential distributions.
#include <continuity/loss/statistics.hpp>
#include <continuity/random/rng.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

using continuity::loss_statistics;

TEST_CASE("statistics of a small array, by hand") {
  // sorted: 0 0 0 0 0 10 20 30 40 100
  const std::vector<double> losses{30, 0, 100, 0, 10, 0, 40, 0, 20, 0};
  const loss_statistics<> s{std::span<const double>(losses)};
  CHECK(s.trials() == 10);
  CHECK(s.mean() == 20.0);
  // deviations² sum: 5·400 + 100 + 0 + 100 + 400 + 6400 = 9000; /9 = 1000
  CHECK(s.standard_deviation() == Approx(std::sqrt(1000.0)));
  CHECK(s.standard_error() == Approx(10.0));
  CHECK(s.minimum() == 0.0);
  CHECK(s.maximum() == 100.0);
  CHECK(s.annualised_loss_expectancy() == 20.0);
  CHECK(s.annualised_loss_expectancy(2.0) == 10.0);
  // VaR_p = x_(ceil(10 p))
  CHECK(s.quantile(0.0) == 0.0);
  CHECK(s.quantile(0.5) == 0.0);
  CHECK(s.quantile(0.55) == 10.0);
  CHECK(s.quantile(0.85) == 40.0);
  CHECK(s.value_at_risk(0.9) == 40.0);
  CHECK(s.value_at_risk(0.95) == 100.0);
  CHECK(s.value_at_risk(1.0) == 100.0);
  CHECK(s.quantiles(std::vector<double>{0.6, 0.7, 0.8}) == std::vector<double>{10, 20, 30});
  // TVaR: worst 10 % = {100}; worst 20 % = {40, 100}; worst 15 % = 100 and half of 40
  CHECK(s.tail_value_at_risk(0.9) == Approx(100.0));
  CHECK(s.tail_value_at_risk(0.8) == Approx(70.0));
  CHECK(s.tail_value_at_risk(0.85) == Approx((100.0 + 0.5 * 40.0) / 1.5));
  CHECK(s.tail_value_at_risk(0.0) == Approx(20.0));
  CHECK(s.tail_value_at_risk(1.0) == 100.0);
  // exceedance P(L > x)
  CHECK(s.exceedance_probability(-1.0) == 1.0);
  CHECK(s.exceedance_probability(0.0) == 0.5);
  CHECK(s.exceedance_probability(30.0) == Approx(0.2));
  CHECK(s.exceedance_probability(100.0) == 0.0);
  const auto curve = s.exceedance_curve(std::vector<double>{0.0, 25.0, 50.0});
  REQUIRE(curve.size() == 3);
  CHECK(curve[1].loss == 25.0);
  CHECK(curve[1].probability == Approx(0.3));
  CHECK(curve[2].probability == Approx(0.1));
}

TEST_CASE("exceedance curve at log-spaced probabilities") {
  std::vector<double> losses(1000);
  for (std::size_t i = 0; i < losses.size(); ++i) losses[i] = double(i + 1);
  const loss_statistics<> s{std::span<const double>(losses)};
  const auto curve = s.exceedance_curve(4); // exceedance targets 1, 0.1, 0.01, 0.001
  REQUIRE(curve.size() == 4);
  CHECK(curve[0].loss == 1.0);
  CHECK(curve[0].probability == Approx(0.999));
  CHECK(curve[1].loss == 900.0);
  CHECK(curve[1].probability == Approx(0.1));
  CHECK(curve[2].loss == 990.0);
  CHECK(curve[3].loss == 999.0);
  CHECK(curve[3].probability == Approx(0.001));
  for (std::size_t i = 1; i < curve.size(); ++i) {
    CHECK(curve[i].loss > curve[i - 1].loss);
    CHECK(curve[i].probability <= curve[i - 1].probability);
  }
}

TEST_CASE("closed forms: uniform and exponential quantile grids") {
  // x_i = F^-1((i − 1/2)/n) is the ideal sample of n points; its VaR and TVaR
  // must approach the closed forms within O(1/n) relative error (tolerance 1e-3).
  const std::size_t n = 100'000;
  std::vector<double> uniform(n), exponential(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double p = (double(i) + 0.5) / double(n);
    uniform[i] = p;
    exponential[i] = -std::log1p(-p);
  }
  const loss_statistics<> u{std::span<const double>(uniform)};
  const loss_statistics<> e{std::span<const double>(exponential)};
  for (double level : {0.5, 0.9, 0.95, 0.99, 0.999}) {
    INFO("level " << level);
    CHECK(u.value_at_risk(level) == Approx(level).epsilon(1e-3));
    CHECK(u.tail_value_at_risk(level) == Approx((1 + level) / 2).epsilon(1e-3));
    // Exp(1): VaR = −ln(1 − α), TVaR = VaR + 1 (memorylessness)
    CHECK(e.value_at_risk(level) == Approx(-std::log(1 - level)).epsilon(1e-3));
    CHECK(e.tail_value_at_risk(level) == Approx(1 - std::log(1 - level)).epsilon(1e-3));
  }
  CHECK(u.mean() == Approx(0.5).epsilon(1e-12));
  CHECK(u.standard_deviation() == Approx(std::sqrt(1.0 / 12)).epsilon(1e-4));
  CHECK(e.mean() == Approx(1.0).epsilon(1e-3));
}

TEST_CASE("random uniform sample: VaR99 and TVaR99 within sampling error") {
  const std::size_t n = 200'000;
  std::vector<double> losses(n);
  auto engine = continuity::stream(77, 0);
  for (auto& x : losses) x = 1000 * continuity::uniform01(engine);
  const loss_statistics<> s{std::span<const double>(losses)};
  // sd of the 0.99-quantile estimate: 1000·sqrt(0.99·0.01/n) = 0.22; allow 5: 1.1
  CHECK(std::abs(s.value_at_risk(0.99) - 990.0) < 1.1);
  // TVaR99 = 995; asymptotic sd of its estimate
  // sqrt((Var(L | L > VaR) + α·(TVaR − VaR)²)/(n·(1 − α))) = sqrt((8.33 + 24.75)/2000) = 0.13;
  // allow 5: 0.65
  CHECK(std::abs(s.tail_value_at_risk(0.99) - 995.0) < 0.65);
  CHECK(std::abs(s.mean() - 500.0) < 5 * s.standard_error());
}

TEST_CASE("merged shards give bit-identical statistics") {
  const std::size_t n = 30'001;
  std::vector<double> losses(n);
  auto engine = continuity::stream(5, 0);
  for (auto& x : losses) x = std::exp(10 + 2 * continuity::uniform01(engine));
  const std::span<const double> all(losses);
  const loss_statistics<> whole(all);
  const loss_statistics<> a(all.subspan(0, 10'000)), b(all.subspan(10'000, 7)),
      c(all.subspan(10'007));
  const auto merged = loss_statistics<>::merge(loss_statistics<>::merge(c, a), b);
  CHECK(merged.trials() == n);
  CHECK(merged.mean() == whole.mean());
  CHECK(merged.standard_deviation() == whole.standard_deviation());
  for (double level : continuity::standard_levels) {
    CHECK(merged.value_at_risk(level) == whole.value_at_risk(level));
    CHECK(merged.tail_value_at_risk(level) == whole.tail_value_at_risk(level));
  }
  CHECK(std::equal(merged.sorted_losses().begin(), merged.sorted_losses().end(),
                   whole.sorted_losses().begin()));
}

TEST_CASE("statistics from an Eigen array") {
  Eigen::ArrayXd losses(4);
  losses << 4, 1, 3, 2;
  const loss_statistics<> s(losses);
  CHECK(s.mean() == 2.5);
  CHECK(s.quantile(0.5) == 2.0);
}

TEST_CASE("invalid inputs are value_errors") {
  CHECK_THROWS_AS(loss_statistics<>(std::span<const double>()), continuity::value_error);
  const std::vector<double> with_nan{1.0, std::numeric_limits<double>::quiet_NaN()};
  CHECK_THROWS_WITH(loss_statistics<>(std::span<const double>(with_nan)),
                    "loss statistics: losses[1]: must be finite, got nan");
  const std::vector<double> fine{1.0, 2.0};
  const loss_statistics<> s{std::span<const double>(fine)};
  CHECK_THROWS_WITH(s.value_at_risk(1.5), "loss statistics: level: must be in [0, 1], got 1.5");
  CHECK_THROWS_AS(s.tail_value_at_risk(-0.1), continuity::value_error);
  CHECK_THROWS_AS(s.quantile(std::nan("")), continuity::value_error);
  CHECK_THROWS_AS(s.annualised_loss_expectancy(0.0), continuity::value_error);
  CHECK_THROWS_AS(s.exceedance_curve(std::size_t{1}), continuity::value_error);
}
