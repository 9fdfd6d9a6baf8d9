// Tests of the distribution families (continuity/random/*.hpp) and of the
// value type continuity::distribution.
//
// Every sampler is checked at a fixed seed by
//  * a one-sample Kolmogorov–Smirnov test against the Boost.Math CDF of the
//    family: D_n = sup |F_n − F| must stay below the asymptotic critical value
//    at level 0.001, 1.9495/sqrt(n) (for a discrete law the test is
//    conservative, so the same bound applies);
//  * the sample mean within 5 standard errors (sigma/sqrt(n)) of the closed
//    form, and the sample variance within 5 of its standard errors
//    (sqrt((m4 − s^4)/n), m4 the sample fourth central moment) of the closed form.
#include <continuity/random/distribution.hpp>

#include <catch2/catch.hpp>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/negative_binomial.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/poisson.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <boost/math/distributions/uniform.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

using namespace continuity;

namespace {

constexpr std::size_t sample_size = 20'000;
const double ks_critical = 1.9495 / std::sqrt(double(sample_size)); // alpha = 0.001

template <class Family>
std::vector<double> draw(const Family& family, std::uint64_t seed) {
  std::vector<double> xs(sample_size);
  auto engine = stream(seed, 0);
  for (auto& x : xs) x = family(engine);
  return xs;
}

/// KS distance of a continuous sample to `cdf`.
double ks_continuous(std::vector<double> xs, const std::function<double(double)>& cdf) {
  std::sort(xs.begin(), xs.end());
  const double n = double(xs.size());
  double d = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double f = cdf(xs[i]);
    d = std::max({d, double(i + 1) / n - f, f - double(i) / n});
  }
  return d;
}

/// KS distance of an integer-valued sample to `cdf` (sup over x is reached at integers).
double ks_discrete(const std::vector<double>& xs, const std::function<double(double)>& cdf) {
  const double top = *std::max_element(xs.begin(), xs.end());
  std::vector<double> counts(static_cast<std::size_t>(top) + 1, 0.0);
  const bool all_counts =
      std::all_of(xs.begin(), xs.end(), [](double x) { return x >= 0 && std::floor(x) == x; });
  REQUIRE(all_counts);
  for (double x : xs) counts[static_cast<std::size_t>(x)] += 1;
  double d = 0, cumulative = 0;
  for (std::size_t k = 0; k < counts.size(); ++k) {
    cumulative += counts[k];
    d = std::max(d, std::abs(cumulative / double(xs.size()) - cdf(double(k))));
  }
  return d;
}

/// Checks sample mean and variance against closed forms (5 standard errors).
void check_moments(const std::vector<double>& xs, double mean, double variance) {
  const double n = double(xs.size());
  double m = 0;
  for (double x : xs) m += x;
  m /= n;
  double m2 = 0, m4 = 0;
  for (double x : xs) {
    const double d2 = (x - m) * (x - m);
    m2 += d2;
    m4 += d2 * d2;
  }
  m2 /= n;
  m4 /= n;
  INFO("sample mean " << m << " vs " << mean << ", sample variance " << m2 << " vs " << variance);
  CHECK(std::abs(m - mean) < 5 * std::sqrt(variance / n));
  CHECK(std::abs(m2 - variance) < 5 * std::sqrt((m4 - m2 * m2) / n) + 1e-12);
}

template <class Family, class BoostDist>
void check_continuous(const Family& family, const BoostDist& reference, std::uint64_t seed) {
  const auto xs = draw(family, seed);
  const double d = ks_continuous(xs, [&](double x) { return boost::math::cdf(reference, x); });
  INFO(family.name << ": KS D = " << d << ", critical " << ks_critical);
  CHECK(d < ks_critical);
  check_moments(xs, boost::math::mean(reference), boost::math::variance(reference));
  CHECK(family.mean() == Approx(boost::math::mean(reference)).epsilon(1e-12));
  CHECK(family.variance() == Approx(boost::math::variance(reference)).epsilon(1e-10));
  for (double p : {0.01, 0.25, 0.5, 0.9, 0.999}) {
    CHECK(family.quantile(p) == Approx(boost::math::quantile(reference, p)).epsilon(1e-10));
    CHECK(family.cdf(family.quantile(p)) == Approx(p).epsilon(1e-9));
  }
}

template <class Family, class BoostDist>
void check_discrete(const Family& family, const BoostDist& reference, std::uint64_t seed) {
  const auto xs = draw(family, seed);
  const double d = ks_discrete(xs, [&](double x) { return boost::math::cdf(reference, x); });
  INFO(family.name << ": KS D = " << d << ", critical " << ks_critical);
  CHECK(d < ks_critical);
  check_moments(xs, boost::math::mean(reference), boost::math::variance(reference));
  CHECK(family.mean() == Approx(boost::math::mean(reference)).epsilon(1e-12));
  CHECK(family.variance() == Approx(boost::math::variance(reference)).epsilon(1e-12));
  for (double p : {0.01, 0.25, 0.5, 0.9, 0.999}) {
    const double k = family.quantile(p);
    CHECK(std::floor(k) == k);
    CHECK(family.cdf(k) >= p);               // the inverse CDF convention:
    if (k > 0) CHECK(family.cdf(k - 1) < p); // smallest k with F(k) >= p
    CHECK(family.cdf(k) == Approx(boost::math::cdf(reference, k)).epsilon(1e-12));
  }
}

/// what() of the value_error that make() throws, or "no error".
template <class Make>
std::string value_error_message(const Make& make) {
  try {
    make();
  } catch (const value_error& e) {
    return e.what();
  }
  return "no error";
}

} // namespace

TEST_CASE("fixed value") {
  fixed_value<> f(3.5);
  auto engine = stream(1, 0);
  CHECK(f(engine) == 3.5);
  CHECK(f.quantile(0.3) == 3.5);
  CHECK(f.cdf(3.4) == 0.0);
  CHECK(f.cdf(3.5) == 1.0);
  CHECK(f.mean() == 3.5);
  CHECK(f.variance() == 0.0);
}

TEST_CASE("standard normal sampler: the ziggurat's layers, wedges and tail") {
  // 10^6 draws: KS distance to Boost's normal CDF (alpha = 0.001), the
  // moments, and the tail beyond the base layer's edge R, which has its own
  // sampler: how often it is reached, 2·(1 − Φ(R)), and its conditional
  // mean E[|Z| | |Z| > R] = φ(R) / (1 − Φ(R)).
  const boost::math::normal_distribution<double> n01(0.0, 1.0);
  const std::size_t size = 1'000'000;
  std::vector<double> xs(size);
  auto engine = stream(2024, 0);
  for (auto& x : xs) x = standard_normal(engine);
  const double d =
      ks_continuous(xs, [&](double x) { return boost::math::cdf(n01, x); });
  INFO("KS distance " << d);
  CHECK(d < 1.9495 / std::sqrt(double(size)));
  check_moments(xs, 0.0, 1.0);

  const double r = detail::ziggurat_tables::tail_start;
  const double tail_p = 2 * boost::math::cdf(boost::math::complement(n01, r));
  double tail_count = 0, tail_sum = 0;
  for (double x : xs)
    if (std::abs(x) > r) {
      tail_count += 1;
      tail_sum += std::abs(x);
    }
  const double expected = tail_p * double(size); // about 258
  INFO("draws beyond R: " << tail_count << ", expected " << expected);
  CHECK(std::abs(tail_count - expected) < 5 * std::sqrt(expected));
  const double tail_mean = boost::math::pdf(n01, r) / (tail_p / 2);
  // the excess over R has sd about 1/R: 5 standard errors
  CHECK(std::abs(tail_sum / tail_count - tail_mean) < 5 / r / std::sqrt(tail_count));
}

TEST_CASE("lognormal sampler and constructors") {
  using boost_lognormal = boost::math::lognormal_distribution<double>;
  check_continuous(lognormal<>(1.0, 0.5), boost_lognormal(1.0, 0.5), 11);
  check_continuous(lognormal<>(10.0, 1.2), boost_lognormal(10.0, 1.2), 12);

  const auto from_moments = lognormal<>::from_mean_sd(1000.0, 500.0);
  CHECK(from_moments.mean() == Approx(1000.0).epsilon(1e-12));
  CHECK(std::sqrt(from_moments.variance()) == Approx(500.0).epsilon(1e-12));

  // The W1 ransomware interval: 5th and 95th percentiles 50,000 and 2,000,000.
  const auto from_interval = lognormal<>::from_interval90(50'000.0, 2'000'000.0);
  CHECK(from_interval.mu() == Approx((std::log(50'000.0) + std::log(2'000'000.0)) / 2));
  CHECK(from_interval.quantile(0.05) == Approx(50'000.0).epsilon(1e-9));
  CHECK(from_interval.quantile(0.95) == Approx(2'000'000.0).epsilon(1e-9));
  CHECK(from_interval.quantile(0.0) == 0.0);
  CHECK(std::isinf(from_interval.quantile(1.0)));
}

TEST_CASE("pert sampler") {
  // Beta(1 + λ(mode − min)/(max − min), 1 + λ(max − mode)/(max − min)) scaled to [min, max].
  struct scaled_beta {
    boost::math::beta_distribution<double> b;
    double lo, width;
  };
  for (double lambda : {4.0, 2.0}) {
    const double lo = 1, mode = 3, hi = 10;
    pert<> p(lo, mode, hi, lambda);
    boost::math::beta_distribution<double> b(1 + lambda * (mode - lo) / (hi - lo),
                                             1 + lambda * (hi - mode) / (hi - lo));
    const auto xs = draw(p, 21);
    const double d =
        ks_continuous(xs, [&](double x) { return boost::math::cdf(b, (x - lo) / (hi - lo)); });
    CHECK(d < ks_critical);
    const double mean = lo + (hi - lo) * boost::math::mean(b);
    const double variance = (hi - lo) * (hi - lo) * boost::math::variance(b);
    check_moments(xs, mean, variance);
    CHECK(p.mean() == Approx(mean).epsilon(1e-12));
    CHECK(p.variance() == Approx(variance).epsilon(1e-12));
    if (lambda == 4.0) CHECK(p.mean() == Approx((1 + 4 * 3 + 10) / 6.0));
    CHECK(p.quantile(0.3) == Approx(lo + (hi - lo) * boost::math::quantile(b, 0.3)));
    CHECK(p.cdf(p.quantile(0.7)) == Approx(0.7));
  }
}

TEST_CASE("triangular sampler") {
  check_continuous(triangular<>(0.0, 2.0, 5.0),
                   boost::math::triangular_distribution<double>(0.0, 2.0, 5.0), 31);
  check_continuous(triangular<>(0.0, 0.0, 1.0),
                   boost::math::triangular_distribution<double>(0.0, 0.0, 1.0), 32);
}

TEST_CASE("uniform sampler") {
  check_continuous(uniform<>(-1.0, 3.0), boost::math::uniform_distribution<double>(-1.0, 3.0), 41);
}

TEST_CASE("truncated normal sampler") {
  boost::math::normal_distribution<double> n(0.0, 1.0);
  const double inf = std::numeric_limits<double>::infinity();
  struct bounds {
    double mu, sigma, lo, hi;
  };
  // rejection (mass >= 1/4), inversion above the mean (mirrored), inversion below it
  for (auto [mu, sigma, lo, hi] :
       {bounds{0, 1, -1, 2}, bounds{5, 2, 10, inf}, bounds{0, 1, -inf, -3}, bounds{0, 1, 1, 1.5}}) {
    truncated_normal<> t(mu, sigma, lo, hi);
    const double a = (lo - mu) / sigma, b = (hi - mu) / sigma;
    const double fa = boost::math::cdf(n, std::max(a, -40.0)),
                 fb = boost::math::cdf(n, std::min(b, 40.0));
    const double fca = boost::math::cdf(boost::math::complement(n, std::max(a, -40.0)));
    const double fcb = boost::math::cdf(boost::math::complement(n, std::min(b, 40.0)));
    const double mass = a > 0 ? fca - fcb : fb - fa;
    // (structured bindings captured by copy: clang 14 cannot capture them by reference)
    auto cdf = [&, mu = mu, sigma = sigma](double x) {
      const double z = (x - mu) / sigma;
      if (a > 0) return 1 - (boost::math::cdf(boost::math::complement(n, z)) - fcb) / mass;
      return (boost::math::cdf(n, z) - fa) / mass;
    };
    const auto xs = draw(t, 51);
    CHECK(*std::min_element(xs.begin(), xs.end()) >= lo);
    CHECK(*std::max_element(xs.begin(), xs.end()) <= hi);
    const double d = ks_continuous(xs, cdf);
    INFO("truncated normal(" << mu << ", " << sigma << ", " << lo << ", " << hi << "): D = " << d);
    CHECK(d < ks_critical);
    // Closed forms with phi the standard density and Z the mass.
    auto phi = [](double z) {
      return std::isinf(z) ? 0.0 : std::exp(-z * z / 2) / std::sqrt(2 * M_PI);
    };
    auto zphi = [&](double z) { return std::isinf(z) ? 0.0 : z * phi(z); };
    const double mean = mu + sigma * (phi(a) - phi(b)) / mass;
    const double dd = (phi(a) - phi(b)) / mass;
    const double variance = sigma * sigma * (1 + (zphi(a) - zphi(b)) / mass - dd * dd);
    check_moments(xs, mean, variance);
    CHECK(t.mean() == Approx(mean).epsilon(1e-9));
    CHECK(t.variance() == Approx(variance).epsilon(1e-8));
    for (double p : {0.05, 0.5, 0.95}) CHECK(t.cdf(t.quantile(p)) == Approx(p).epsilon(1e-9));
  }
}

TEST_CASE("gamma sampler") {
  check_continuous(continuity::gamma<>(2.5, 3.0), boost::math::gamma_distribution<double>(2.5, 3.0),
                   61);
  check_continuous(continuity::gamma<>(0.5, 2.0), boost::math::gamma_distribution<double>(0.5, 2.0),
                   62);
  check_continuous(continuity::gamma<>(1.0, 1.0), boost::math::gamma_distribution<double>(1.0, 1.0),
                   63);
}

TEST_CASE("beta sampler") {
  check_continuous(continuity::beta<>(2.0, 5.0), boost::math::beta_distribution<double>(2.0, 5.0),
                   71);
  check_continuous(continuity::beta<>(0.5, 0.5), boost::math::beta_distribution<double>(0.5, 0.5),
                   72);
}

TEST_CASE("poisson sampler: inversion and transformed rejection") {
  for (double mean : {0.3, 4.0, 9.99, 10.0, 50.0, 1000.0}) {
    INFO("mean " << mean);
    check_discrete(poisson<>(mean), boost::math::poisson_distribution<double>(mean),
                   static_cast<std::uint64_t>(mean * 100));
  }
  poisson<> never(0.0);
  auto engine = stream(1, 1);
  CHECK(never.count(engine) == 0);
  CHECK(never.cdf(0) == 1.0);
  CHECK(never.quantile(0.99) == 0.0);
  CHECK(poisson<>(2.0).cdf(-0.5) == 0.0);
}

TEST_CASE("negative binomial sampler") {
  check_discrete(negative_binomial<>(3.0, 0.4),
                 boost::math::negative_binomial_distribution<double>(3.0, 0.4), 81);
  check_discrete(negative_binomial<>(0.7, 0.1),
                 boost::math::negative_binomial_distribution<double>(0.7, 0.1), 82);
  const auto nb = negative_binomial<>::from_mean_variance(2.0, 5.0);
  CHECK(nb.mean() == Approx(2.0));
  CHECK(nb.variance() == Approx(5.0));
  check_discrete(nb, boost::math::negative_binomial_distribution<double>(4.0 / 3.0, 0.4), 83);
}

TEST_CASE("empirical: resampling and interpolated quantiles") {
  const std::vector<double> data{5, 1, 3, 3, 10, 2, 8, 7, 3, 4};
  empirical<> resample(data);
  const auto xs = draw(resample, 91);
  CHECK(ks_discrete(xs, [&](double x) { return resample.cdf(x); }) < ks_critical);
  check_moments(xs, 4.6, resample.variance());
  CHECK(resample.mean() == Approx(4.6));
  // ECDF by hand: sorted 1 2 3 3 3 4 5 7 8 10
  CHECK(resample.cdf(3.0) == Approx(0.5));
  CHECK(resample.cdf(2.99) == Approx(0.2));
  CHECK(resample.quantile(0.5) == 3.0); // smallest x with F_n(x) >= 0.5
  CHECK(resample.quantile(0.51) == 4.0);
  CHECK(resample.quantile(0.0) == 1.0);
  CHECK(resample.quantile(1.0) == 10.0);
  CHECK(resample.is_count());

  // Distinct values (ties would be atoms of the interpolated law).
  const std::vector<double> distinct{5, 1, 3, 2.5, 10, 2, 8, 7, 3.5, 4};
  empirical<> smooth(distinct, empirical_kind::interpolated);
  // type 7: position p·(n − 1) in sorted 1 2 2.5 3 3.5 4 5 7 8 10;
  // p = 0.5 → 4.5 → halfway between 3.5 and 4
  CHECK(smooth.quantile(0.5) == Approx(3.75));
  CHECK(smooth.quantile(0.95) == Approx(8 + 0.55 * 2));
  CHECK(smooth.cdf(smooth.quantile(0.37)) == Approx(0.37));
  const auto ys = draw(smooth, 92);
  CHECK(ks_continuous(ys, [&](double x) { return smooth.cdf(x); }) < ks_critical);
  check_moments(ys, smooth.mean(), smooth.variance());
  CHECK_FALSE(smooth.is_count());
  // mean of the piecewise-linear quantile function: trapezoid rule over the sorted data
  CHECK(smooth.mean() == Approx((46.0 - (1 + 10) / 2.0) / 9));
}

TEST_CASE("every invalid parameter is a value_error naming family and parameter") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const auto message = [](auto&& make) { return value_error_message(make); };
  CHECK(message([] { lognormal<>(0.0, -1.0); }) ==
        "lognormal: sigma: must be positive and finite, got -1");
  CHECK(message([&] { lognormal<>(nan, 1.0); }) == "lognormal: mu: must be finite, got nan");
  CHECK(message([] { lognormal<>::from_interval90(10.0, 5.0); }) ==
        "lognormal: hi: must be greater than lo, got 5");
  CHECK(message([] { pert<>(1.0, 12.0, 10.0); }) ==
        "pert: mode: must lie in [minimum, maximum], got 12");

  CHECK_THROWS_AS(fixed_value<>(inf), value_error);
  CHECK_THROWS_AS(lognormal<>(0.0, 0.0), value_error);
  CHECK_THROWS_AS(lognormal<>(0.0, inf), value_error);
  CHECK_THROWS_AS(lognormal<>::from_mean_sd(-1.0, 1.0), value_error);
  CHECK_THROWS_AS(lognormal<>::from_mean_sd(1.0, 0.0), value_error);
  CHECK_THROWS_AS(lognormal<>::from_interval90(0.0, 5.0), value_error);
  CHECK_THROWS_AS(lognormal<>::from_interval90(5.0, 5.0), value_error);
  CHECK_THROWS_AS(pert<>(1.0, 0.5, 10.0), value_error);
  CHECK_THROWS_AS(pert<>(10.0, 10.0, 10.0), value_error);
  CHECK_THROWS_AS(pert<>(1.0, 2.0, 10.0, 0.0), value_error);
  CHECK_THROWS_AS(pert<>(nan, 2.0, 10.0), value_error);
  CHECK_THROWS_AS(triangular<>(0.0, 6.0, 5.0), value_error);
  CHECK_THROWS_AS(triangular<>(5.0, 5.0, 5.0), value_error);
  CHECK_THROWS_AS(triangular<>(0.0, 1.0, inf), value_error);
  CHECK_THROWS_AS(uniform<>(3.0, 1.0), value_error);
  CHECK_THROWS_AS(uniform<>(-inf, 1.0), value_error);
  CHECK_THROWS_AS(truncated_normal<>(0.0, -1.0), value_error);
  CHECK_THROWS_AS(truncated_normal<>(inf, 1.0), value_error);
  CHECK_THROWS_AS(truncated_normal<>(0.0, 1.0, 2.0, 1.0), value_error);
  CHECK_THROWS_AS(truncated_normal<>(0.0, 1.0, nan, 1.0), value_error);
  CHECK_THROWS_AS(truncated_normal<>(0.0, 1.0, inf, inf), value_error);
  CHECK_THROWS_AS(truncated_normal<>(0.0, 1.0, 50.0, 60.0), value_error); // no representable mass
  CHECK_THROWS_AS(continuity::gamma<>(0.0, 1.0), value_error);
  CHECK_THROWS_AS(continuity::gamma<>(1.0, -2.0), value_error);
  CHECK_THROWS_AS(continuity::beta<>(-1.0, 1.0), value_error);
  CHECK_THROWS_AS(continuity::beta<>(1.0, nan), value_error);
  CHECK_THROWS_AS(poisson<>(-0.1), value_error);
  CHECK_THROWS_AS(poisson<>(inf), value_error);
  CHECK_THROWS_AS(negative_binomial<>(0.0, 0.5), value_error);
  CHECK_THROWS_AS(negative_binomial<>(1.0, 0.0), value_error);
  CHECK_THROWS_AS(negative_binomial<>(1.0, 1.5), value_error);
  CHECK_THROWS_AS(negative_binomial<>::from_mean_variance(2.0, 2.0), value_error);
  CHECK_THROWS_AS(empirical<>(std::vector<double>{}), value_error);
  CHECK_THROWS_AS(empirical<>(std::vector<double>{1.0, nan}), value_error);
  CHECK_THROWS_AS(empirical<>(std::vector<double>{1.0}, empirical_kind::interpolated), value_error);
  // quantile arguments outside [0, 1]
  CHECK_THROWS_AS(lognormal<>(0.0, 1.0).quantile(1.5), value_error);
  CHECK_THROWS_AS(poisson<>(1.0).quantile(-0.1), value_error);
  CHECK_THROWS_AS(distribution<>(2.0).quantile(nan), value_error);
}

TEST_CASE("distribution value type dispatches to its family") {
  const distribution<> amount = 5000.0;
  CHECK(amount.is_fixed());
  CHECK(amount.name() == "fixed");
  CHECK(amount.mean() == 5000.0);
  CHECK(amount.is_count());

  const distribution<> loss = lognormal<>::from_interval90(20'000.0, 500'000.0);
  CHECK(loss.name() == "lognormal");
  CHECK_FALSE(loss.is_count());
  CHECK(loss.holds<lognormal<>>());
  auto a = stream(99, 3), b = stream(99, 3);
  const auto& family = loss.get<lognormal<>>();
  for (int i = 0; i < 10; ++i) CHECK(loss.sample(a) == family(b));
  CHECK(loss.quantile(0.95) == Approx(500'000.0));
  CHECK(loss.cdf(20'000.0) == Approx(0.05));
  CHECK(loss.mean() == family.mean());

  const distribution<> frequency = poisson<>(0.5);
  CHECK(frequency.is_count());
  CHECK(frequency.name() == "poisson");
  auto c = stream(5, 5), d = stream(5, 5);
  for (int i = 0; i < 10; ++i)
    CHECK(frequency.sample_count(c) == frequency.get<poisson<>>().count(d));

  CHECK(distribution<>(negative_binomial<>(2.0, 0.5)).is_count());
  CHECK(distribution<>(empirical<>(std::vector<double>{0, 1, 1, 3})).is_count());
  CHECK_FALSE(distribution<>(2.5).is_count());
  CHECK(distribution<>(pert<>(1.0, 2.0, 3.0)).name() == "pert");
  CHECK(distribution<>(truncated_normal<>(0.0, 1.0, 0.0)).name() == "truncated normal");
  distribution<> defaulted;
  CHECK(defaulted.mean() == 0.0);
}

TEST_CASE("the families work in single precision too") {
  auto engine = stream(8, 8);
  const distribution<float> families[] = {fixed_value<float>(2.0f),
                                          lognormal<float>(0.0f, 0.5f),
                                          pert<float>(1.0f, 2.0f, 4.0f),
                                          triangular<float>(0.0f, 1.0f, 3.0f),
                                          uniform<float>(0.0f, 1.0f),
                                          truncated_normal<float>(0.0f, 1.0f, -1.0f, 1.0f),
                                          continuity::gamma<float>(2.0f, 1.0f),
                                          continuity::beta<float>(2.0f, 3.0f),
                                          poisson<float>(3.0f),
                                          negative_binomial<float>(2.0f, 0.5f),
                                          empirical<float>(std::vector<float>{1.0f, 2.0f, 4.0f})};
  for (const auto& d : families) {
    INFO(d.name());
    double sum = 0;
    const int n = 20'000;
    for (int i = 0; i < n; ++i) sum += double(d.sample(engine));
    // 5 standard errors of the mean, plus float rounding
    CHECK(std::abs(sum / n - double(d.mean())) < 5 * std::sqrt(double(d.variance()) / n) + 1e-4);
    CHECK(d.cdf(d.quantile(0.5f)) >= 0.5f - 1e-5f);
  }
}

// The families at the limits of their parameters and at extreme
// probabilities (docs/fuzzing.md, finding 1): Boost.Math's inverses of the
// incomplete beta and gamma functions give up there (Beta(0.5, 2) at
// p = 1e-9, Beta(2, 10) at 1e-100, Gamma(100) at 5e-324), trip assertions
// (Beta(10, 10) at 1e-221) or crawl (a negative binomial with a large
// variance); the families then search the CDF themselves.
namespace extreme_quantiles {

/// Probabilities from the smallest subnormal to the largest double below 1.
const std::vector<double>& probabilities() {
  static const std::vector<double> ps = {0.0,
                                         5e-324,
                                         std::numeric_limits<double>::min(),
                                         1e-300,
                                         1e-221,
                                         1e-100,
                                         1e-67,
                                         1e-20,
                                         1e-16,
                                         1e-9,
                                         1e-3,
                                         0.1,
                                         0.5,
                                         0.9,
                                         1 - 1e-9,
                                         1 - 1e-12,
                                         1 - 0x1p-53,
                                         1.0};
  return ps;
}

/// Quantiles over probabilities(): finite below p = 1, within [lowest,
/// highest], non-decreasing; where p and the quantile are normal numbers, the
/// quantile is within a relative 10^-7 of where the CDF crosses p (Boost.Math's
/// inverse of the incomplete beta function stops its Halley steps at half
/// precision: 9·10^-8 of the quantile of Beta(10^-6, 10) at 1 − 10^-9), for p
/// from `resolved` to 1 − `resolved` (a family that computes its quantiles
/// from probabilities added to its CDF at a bound resolves p to about 10^-16
/// only, not relative to p).
template <class Family>
void check_continuous_quantiles(const Family& d, double lowest, double highest,
                                double resolved = 0) {
  double previous = lowest;
  for (double p : probabilities()) {
    INFO("p = " << p);
    double q = 0;
    REQUIRE_NOTHROW(q = d.quantile(p));
    CHECK(q >= previous);
    CHECK(q <= highest);
    if (p < 1) CHECK(std::isfinite(q));
    previous = q;
    if (!(p >= std::numeric_limits<double>::min() && p >= resolved && p <= 1 - resolved &&
          p < 1 && q >= std::numeric_limits<double>::min()))
      continue;
    const double slack = std::numeric_limits<double>::epsilon() * p; // the CDF's rounding near 1
    CHECK(d.cdf(q * (1 - 1e-7)) <= p + slack);
    CHECK(d.cdf(q * (1 + 1e-7)) >= p - slack);
  }
}

/// Quantiles of a count over probabilities(): whole, non-decreasing, and by
/// definition the smallest k with F(k) >= p.
template <class Family>
void check_count_quantiles(const Family& d) {
  double previous = 0;
  for (double p : probabilities()) {
    INFO("p = " << p);
    double k = 0;
    REQUIRE_NOTHROW(k = d.quantile(p));
    CHECK(k >= previous);
    previous = k;
    if (p == 1) {
      CHECK((std::isinf(k) || d.mean() == 0)); // a count that is always 0 has quantile(1) = 0
      continue;
    }
    REQUIRE(std::isfinite(k));
    CHECK(std::floor(k) == k);
    CHECK(d.cdf(k) >= p);
    // Beyond 2^53 the double below k is the next count down.
    if (k > 0) CHECK(d.cdf(k < 0x1p53 ? k - 1 : std::nextafter(k, 0.0)) < p);
  }
}

} // namespace extreme_quantiles

TEST_CASE("beta and pert quantiles: every shape within the limits, every probability") {
  using continuity::beta;
  const double lo = beta<>::min_shape, hi = beta<>::max_shape;
  for (double a : {lo, 1e-3, 0.5, 1.0, 2.0, 3.16, 10.0, 1e3, hi})
    for (double b : {lo, 1e-3, 0.5, 1.0, 2.0, 3.16, 10.0, 1e3, hi}) {
      INFO("beta(" << a << ", " << b << ")");
      extreme_quantiles::check_continuous_quantiles(beta<>(a, b), 0.0, 1.0);
    }
  // PERT's beta has shapes from 1 to 1 + lambda: the classic Beta(3, 3), and
  // the largest lambda.
  extreme_quantiles::check_continuous_quantiles(pert<>(10.0, 20.0, 30.0), 10.0, 30.0);
  extreme_quantiles::check_continuous_quantiles(pert<>(0.0, 1.0, 4.0, pert<>::max_lambda), 0.0,
                                                4.0);
}

TEST_CASE("beta quantiles where Boost.Math's inverse gives up, against independent values") {
  using continuity::beta;
  // Closed forms: I_x(0.5, 2) = 1.5·√x − 0.5·x^1.5, so x ≈ (2p/3)² for small
  // p; I_x(2, 1) = x², so x = √p.
  CHECK(beta<>(0.5, 2.0).quantile(1e-9) == Approx(4.4444444444444444458e-19).epsilon(1e-12));
  CHECK(beta<>(0.5, 2.0).quantile(1e-16) == Approx(4.4444444444444444444e-33).epsilon(1e-12));
  CHECK(beta<>(2.0, 1.0).quantile(1e-300) == Approx(1e-150).epsilon(1e-12));
  CHECK(beta<>(2.0, 1.0).quantile(std::numeric_limits<double>::min()) ==
        Approx(std::sqrt(std::numeric_limits<double>::min())).epsilon(1e-12));
  // I_x(2, 0.5) = 1 − I_{1−x}(0.5, 2): near p = 1 the quantile is 1 − 4.4·10^-31,
  // which rounds to 1.
  CHECK(beta<>(2.0, 0.5).quantile(1 - 1e-15) == 1.0);
  // Computed with mpmath (50 digits) by solving I_x(a, b) = p.
  CHECK(beta<>(2.0, 10.0).quantile(1e-100) == Approx(1.3483997249264841725e-51).epsilon(1e-9));
  CHECK(beta<>(3.16, 2.0).quantile(1e-67) == Approx(3.995330801897658202e-22).epsilon(1e-9));
  CHECK(beta<>(10.0, 10.0).quantile(1e-221) == Approx(2.5318801531698586546e-23).epsilon(1e-9));
  CHECK(beta<>(2.0, 1e6).quantile(1e-91) == Approx(4.4721337189332789426e-52).epsilon(1e-9));
}

TEST_CASE("gamma quantiles: every shape within the limits, every probability") {
  for (double shape : {continuity::gamma<>::min_shape, 1e-100, 1e-6, 0.5, 1.0, 40.0, 100.0, 1e6,
                       continuity::gamma<>::max_shape}) {
    INFO("gamma(" << shape << ", 3)");
    extreme_quantiles::check_continuous_quantiles(continuity::gamma<>(shape, 3.0), 0.0,
                                                  std::numeric_limits<double>::infinity());
  }
  // The exponential: x = −θ·log(1 − p).
  CHECK(continuity::gamma<>(1.0, 2.0).quantile(1e-300) == Approx(2e-300).epsilon(1e-12));
  // Boost.Math gave up at the smallest subnormal, 5e-324, from a shape of
  // about 40; mpmath's values. The CDF is computed there to a few bits only
  // (it underflows through subnormals), hence the tolerance.
  CHECK(continuity::gamma<>(40.0, 1.0).quantile(5e-324) ==
        Approx(1.3035741641957618492e-7).epsilon(0.1));
  CHECK(continuity::gamma<>(100.0, 1.0).quantile(5e-324) ==
        Approx(0.022219456183062041246).epsilon(0.1));
  // The median of a gamma of large shape k is k − 1/3 + 8/(405k) + O(k^-2).
  CHECK(std::abs(continuity::gamma<>(1e10, 1.0).quantile(0.5) - (1e10 - 1.0 / 3)) < 1e-4);
}

TEST_CASE("truncated normal quantiles stay within the bounds at every probability") {
  // mu + sigma·(lower − mu)/sigma rounds below the lower bound for 3 % of
  // means and scales: a duration or amount of −5.6e-17 (found by
  // distribution_fuzzer with mu 1, sigma 10.9, bounds −5 and 2).
  CHECK(truncated_normal<>(0.47, 3.03, 0.0).quantile(5e-324) >= 0.0);
  CHECK(truncated_normal<>(1.0, 10.9, -5.0, 2.0).quantile(5e-324) >= -5.0);
  const double inf = std::numeric_limits<double>::infinity();
  extreme_quantiles::check_continuous_quantiles(truncated_normal<>(0.47, 3.03, 0.0), 0.0, inf,
                                                1e-6);
  extreme_quantiles::check_continuous_quantiles(truncated_normal<>(1.0, 10.9, -5.0, 2.0), -5.0,
                                                2.0, 1e-6);
  extreme_quantiles::check_continuous_quantiles(truncated_normal<>(50.0, 1.0, 0.0, 45.0), 0.0,
                                                45.0, 1e-6);
}

TEST_CASE("triangular quantiles and CDF with widths whose products overflow") {
  // (1 − p)·width·(maximum − mode) overflowed from widths of 10^154: the
  // quantile of [0, 1, 1e183] at 10^-12 was −inf, and Boost.Math's CDF NaN
  // (found by distribution_fuzzer).
  for (const auto& d : {triangular<>(0.0, 1.0, 1e183), triangular<>(0.0, 1e200, 1e300)}) {
    INFO("triangular(" << d.minimum() << ", " << d.mode() << ", " << d.maximum() << ")");
    extreme_quantiles::check_continuous_quantiles(d, d.minimum(), d.maximum(), 1e-12);
    for (double p : {1e-12, 0.05, 0.5, 0.95})
      CHECK(d.cdf(d.quantile(p)) == Approx(p).epsilon(1e-6).margin(1e-15));
  }
  // Closed forms: p = 10^-100 just above the mode fraction 10^-183 of
  // [0, 1, 1e183] is 1e183·(1 − sqrt(1 − 10^-100)) = 5e82 (the formula
  // maximum − width·sqrt(1 − p) gave 0, below the quantile of 10^-221); the
  // median of [0, 1e200, 1e300] is 1e300·(1 − sqrt(1/2)) to 10^-100.
  CHECK(triangular<>(0.0, 1.0, 1e183).quantile(1e-100) == Approx(5e82).epsilon(1e-12));
  CHECK(triangular<>(0.0, 1e200, 1e300).quantile(0.5) ==
        Approx(1e300 * (1 - std::sqrt(0.5))).epsilon(1e-12));
  // A width beyond the largest double: quantiles at a quarter and three
  // quarters are ∓1e308·(1 − sqrt(1/2)).
  const triangular<> widest(-1e308, 0.0, 1e308);
  extreme_quantiles::check_continuous_quantiles(widest, -1e308, 1e308, 1.0); // bounds, order
  CHECK(widest.quantile(0.25) == Approx(-1e308 * (1 - std::sqrt(0.5))).epsilon(1e-12));
  CHECK(widest.quantile(0.75) == Approx(1e308 * (1 - std::sqrt(0.5))).epsilon(1e-12));
  CHECK(widest.cdf(widest.quantile(0.25)) == Approx(0.25).epsilon(1e-12));
}

TEST_CASE("count quantiles: the smallest k with F(k) >= p at every mean within the limits") {
  for (double mean : {1e-300, 1e-9, 0.5, 9.99, 10.0, 1e3, 1e6, poisson<>::max_mean}) {
    INFO("poisson(" << mean << ")");
    extreme_quantiles::check_count_quantiles(poisson<>(mean));
  }
  // mpmath (50 digits): the smallest k with Q(k + 1, 10^10) >= p.
  const poisson<> large(1e10);
  CHECK(large.quantile(0.5) == 10'000'000'000.0);
  CHECK(large.quantile(1e-12) == 9'999'296'560.0);
  CHECK(large.quantile(0.999999) == 10'000'475'346.0);

  for (double mean : {1e-9, 2.0, 1e3, 1e12, 1e18})
    for (double successes : {1e-280, 1e-12, 0.5, 4.0, 1e6, negative_binomial<>::max_successes}) {
      INFO("negative binomial, mean " << mean << ", successes " << successes);
      extreme_quantiles::check_count_quantiles(
          negative_binomial<>(successes, successes / (successes + mean)));
    }
  // The fuzzers' slow case: mean 2, variance 4.87e11 (Boost.Math took 6 s
  // under the sanitizers at 1 − 10^-12). mpmath: 333,453,546,877, where
  // doubles resolve the tail 1 − F to 10^-4 of it (F is within 1.1e-16 of p
  // for tens of millions of k), hence the tolerance.
  const auto wide = negative_binomial<>::from_mean_variance(2.0, 4.87e11);
  CHECK(wide.quantile(1 - 1e-12) == Approx(333'453'546'877.0).epsilon(1e-3));
  CHECK(wide.quantile(0.5) == 0.0);
}

TEST_CASE("parameters beyond the families' limits are value_errors saying why") {
  const auto message = [](auto&& make) { return value_error_message(make); };
  using Catch::Matchers::Contains;
  CHECK_THAT(message([] { continuity::beta<>(1e50, 2.0); }),
             Contains("beta: alpha: must be from 1e-06 to 1e+06") && Contains("got 1e+50"));
  CHECK_THAT(message([] { continuity::beta<>(2.0, 2.5e-323); }),
             Contains("beta: beta: must be from 1e-06 to 1e+06"));
  CHECK_THAT(message([] { continuity::gamma<>(1e12, 1e-11); }),
             Contains("gamma: shape: must be from 1e-300 to 1e+10") && Contains("got 1e+12"));
  CHECK_THAT(message([] { continuity::gamma<>(5e-324, 1.0); }), Contains("gamma: shape"));
  CHECK_THAT(message([] { poisson<>(1e11); }),
             Contains("poisson: mean: must be at most 1e+10") && Contains("got 1e+11"));
  CHECK_THAT(message([] { negative_binomial<>(1e12, 0.5); }),
             Contains("negative binomial: successes: must be at most 1e+10"));
  CHECK_THAT(message([] { negative_binomial<>::from_mean_variance(5.0, 5.0 + 1e-12); }),
             Contains("negative binomial: variance: is too close to the mean"));
  CHECK_THAT(message([] { negative_binomial<>(2.0, 5e-324); }),
             Contains("negative binomial: probability: is too small"));
  CHECK_THAT(message([] { pert<>(0.0, 1.0, 2.0, 1e7); }), Contains("pert: lambda: must be at most"));
  // At the limits they are accepted.
  CHECK_NOTHROW(continuity::beta<>(continuity::beta<>::min_shape, continuity::beta<>::max_shape));
  CHECK_NOTHROW(continuity::gamma<>(continuity::gamma<>::max_shape, 1.0));
  CHECK_NOTHROW(poisson<>(poisson<>::max_mean));
  CHECK_NOTHROW(negative_binomial<>(negative_binomial<>::max_successes, 0.5));
}
