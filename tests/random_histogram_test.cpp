// Tests of the histogram distribution (random/histogram.hpp) against closed
// forms: one linear bin is the uniform distribution, one log bin the
// log-uniform; the CDF passes through the cumulative shares at the edges;
// sampling follows the shares; bad parameters are errors naming the field.
#include <continuity/random/histogram.hpp>
#include <continuity/random/rng.hpp>
#include <continuity/random/uniform.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

namespace histogram_test {
using H = continuity::histogram<double>;
using continuity::histogram_scale;
} // namespace histogram_test

using namespace histogram_test;

TEST_CASE("histogram: one linear bin is the uniform distribution") {
  const H h(std::vector<double>{200, 400}, std::vector<double>{1});
  const continuity::uniform<double> u(200, 400);
  for (double p : {0.0, 0.1, 0.5, 0.77, 1.0}) CHECK(h.quantile(p) == Approx(u.quantile(p)));
  for (double x : {150.0, 200.0, 250.0, 399.0, 500.0}) CHECK(h.cdf(x) == Approx(u.cdf(x)).margin(1e-15));
  CHECK(h.mean() == Approx(300));
  CHECK(h.variance() == Approx(200.0 * 200 / 12));
}

TEST_CASE("histogram: one log bin is the log-uniform distribution") {
  const double a = 1e5, b = 1e7;
  const H h(std::vector<double>{a, b}, std::vector<double>{3}, histogram_scale::log);
  // Log-uniform: F(x) = ln(x/a) / ln(b/a); median sqrt(ab); mean (b − a) / ln(b/a);
  // E[X²] = (b² − a²) / (2 ln(b/a)).
  const double l = std::log(b / a);
  CHECK(h.quantile(0.5) == Approx(std::sqrt(a * b)));
  CHECK(h.cdf(1e6) == Approx(0.5));
  CHECK(h.mean() == Approx((b - a) / l));
  CHECK(h.variance() == Approx((b * b - a * a) / (2 * l) - std::pow((b - a) / l, 2)));
  continuity::trial_engine e(1, 2, 3);
  const int n = 200000;
  double sum = 0;
  for (int i = 0; i < n; ++i) {
    const double x = h(e);
    REQUIRE(x >= a);
    REQUIRE(x <= b);
    sum += x;
  }
  CHECK(std::abs(sum / n - h.mean()) <= 4 * std::sqrt(h.variance() / n));
}

TEST_CASE("histogram: edges whose ratio or difference overflows a double") {
  // A log bin from 1e-300 (a lower edge written for "from 0") to 1e18: b/a
  // overflows; the bin is still log-uniform (the mean was 0, every quantile
  // above p = 0 was b, and the CDF NaN).
  const double a = 1e-300, b = 1e18, l = 318 * std::log(10.0); // ln(b/a)
  const H h(std::vector<double>{a, b}, std::vector<double>{1}, histogram_scale::log);
  CHECK(h.mean() == Approx((b - a) / l));
  CHECK(h.quantile(0.5) == Approx(1e-141).epsilon(1e-12)); // sqrt(ab)
  CHECK(h.quantile(0.0) == a);
  CHECK(h.quantile(1.0) == b);
  CHECK(h.cdf(1e17) == Approx(317.0 / 318));
  CHECK(h.quantile(h.cdf(1e17)) == Approx(1e17).epsilon(1e-9));
  // A linear bin from -1e308 to 1e308: b − a overflows.
  const H wide(std::vector<double>{-1e308, 1e308}, std::vector<double>{1});
  CHECK(wide.quantile(0.0) == -1e308);
  CHECK(wide.quantile(0.5) == 0.0);
  CHECK(wide.quantile(0.75) == Approx(5e307));
  CHECK(wide.cdf(0.0) == 0.5);
  CHECK(wide.mean() == 0.0);
}

TEST_CASE("histogram: the CDF passes through the shares; quantile inverts it; empty bins") {
  const std::vector<double> edges{0, 1, 2, 5, 10}, shares{10, 0, 30, 60};
  const H h(edges, shares);
  CHECK(h.cdf(0) == 0);
  CHECK(h.cdf(1) == Approx(0.1));
  CHECK(h.cdf(2) == Approx(0.1)); // an empty bin holds nothing
  CHECK(h.cdf(5) == Approx(0.4));
  CHECK(h.cdf(10) == 1);
  for (double p = 0.01; p < 1; p += 0.0137) CHECK(h.cdf(h.quantile(p)) == Approx(p));
  CHECK(h.quantile(0.1) == Approx(2)); // the empty bin is skipped
  CHECK(h.mean() == Approx(0.1 * 0.5 + 0.3 * 3.5 + 0.6 * 7.5));
  CHECK(h.probabilities()[2] == Approx(0.3));
}

TEST_CASE("histogram: bad parameters are errors naming the field") {
  using V = std::vector<double>;
  CHECK_THROWS_WITH(H(V{1}, V{}), Catch::Contains("edges"));
  CHECK_THROWS_WITH(H(V{1, 2, 3}, V{1}), Catch::Contains("probabilities"));
  CHECK_THROWS_WITH(H(V{1, 1}, V{1}), Catch::Contains("edges[1]"));
  CHECK_THROWS_WITH(H(V{1, 2}, V{-1}), Catch::Contains("probabilities[0]"));
  CHECK_THROWS_WITH(H(V{1, 2}, V{0}), Catch::Contains("must not all be 0"));
  CHECK_THROWS_WITH(H(V{0, 2}, V{1}, histogram_scale::log), Catch::Contains("edges[0]"));
  CHECK_THROWS_WITH(H(V{1, INFINITY}, V{1}), Catch::Contains("edges[1]"));
  const H h(V{1, 2}, V{1});
  CHECK_THROWS(h.quantile(1.5));
}
