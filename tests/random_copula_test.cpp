// Tests of continuity/random/copula.hpp: achieved rank correlations and the
// rejection of invalid correlation matrices.
#include <continuity/random/copula.hpp>
#include <continuity/random/distribution.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

using namespace continuity;
using matrix = Eigen::MatrixXd;

namespace {

std::vector<double> ranks(const std::vector<double>& xs) {
  std::vector<std::size_t> order(xs.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return xs[a] < xs[b]; });
  std::vector<double> r(xs.size());
  for (std::size_t k = 0; k < order.size(); ++k) r[order[k]] = double(k);
  return r;
}

/// Sample Spearman correlation (Pearson correlation of the ranks; no ties here).
double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  const auto rx = ranks(x), ry = ranks(y);
  const double n = double(x.size()), mean = (n - 1) / 2;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (rx[i] - mean) * (ry[i] - mean);
    sxx += (rx[i] - mean) * (rx[i] - mean);
    syy += (ry[i] - mean) * (ry[i] - mean);
  }
  return sxy / std::sqrt(sxx * syy);
}

std::string error_of(const matrix& m) {
  try {
    gaussian_copula<> c(m);
  } catch (const value_error& e) {
    return e.what();
  }
  return "no error";
}

} // namespace

TEST_CASE("spearman_to_pearson is 2 sin(pi rho / 6)") {
  CHECK(spearman_to_pearson(0.0) == 0.0);
  CHECK(spearman_to_pearson(1.0) == Approx(1.0));
  CHECK(spearman_to_pearson(-1.0) == Approx(-1.0));
  CHECK(spearman_to_pearson(0.5) == Approx(2 * std::sin(M_PI / 12)));
}

TEST_CASE("the copula achieves the target Spearman correlations") {
  matrix target(3, 3);
  target << 1.0, 0.7, -0.3, //
      0.7, 1.0, 0.2,        //
      -0.3, 0.2, 1.0;
  gaussian_copula<> copula(target);
  CHECK(copula.dimension() == 3);
  CHECK((copula.factor() * copula.factor().transpose() - copula.pearson()).norm() < 1e-12);

  // Correlated uniforms, mapped to different marginals through their quantiles.
  const distribution<> marginals[] = {lognormal<>::from_interval90(1e4, 1e6),
                                      pert<>(1.0, 4.0, 24.0), uniform<>(0.0, 1.0)};
  const std::size_t n = 20'000;
  std::vector<std::vector<double>> u(3, std::vector<double>(n)), x(3, std::vector<double>(n));
  double draw[3];
  auto engine = stream(2024, 0);
  for (std::size_t t = 0; t < n; ++t) {
    copula.sample(engine, std::span<double>(draw, 3));
    for (std::size_t k = 0; k < 3; ++k) {
      REQUIRE((draw[k] > 0 && draw[k] < 1));
      u[k][t] = draw[k];
      x[k][t] = marginals[k].quantile(draw[k]);
    }
  }
  // The sampling standard deviation of a Spearman estimate is below
  // 1.06/sqrt(n − 1) ≈ 0.0075 (Fieller et al. 1957 bound); allow 4 of them: 0.03.
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = i + 1; j < 3; ++j) {
      const auto r = static_cast<Eigen::Index>(i), c = static_cast<Eigen::Index>(j);
      INFO("pair " << i << ", " << j);
      CHECK(std::abs(spearman(u[i], u[j]) - target(r, c)) < 0.03);
      CHECK(std::abs(spearman(x[i], x[j]) - target(r, c)) < 0.03);
    }
  // Each margin is still uniform: mean 1/2 within 5 standard errors sqrt(1/12/n).
  for (const auto& column : u) {
    const double mean = std::accumulate(column.begin(), column.end(), 0.0) / double(n);
    CHECK(std::abs(mean - 0.5) < 5 * std::sqrt(1.0 / 12 / double(n)));
  }
}

TEST_CASE("a singular but valid matrix (correlation 1) is accepted") {
  matrix target(3, 3);
  target << 1, 1, 0, //
      1, 1, 0,       //
      0, 0, 1;
  gaussian_copula<> copula(target);
  CHECK((copula.factor() * copula.factor().transpose() - copula.pearson()).norm() < 1e-10);
  auto engine = stream(7, 0);
  double draw[3];
  for (int t = 0; t < 100; ++t) {
    copula.sample(engine, std::span<double>(draw, 3));
    CHECK(draw[0] == Approx(draw[1]).margin(1e-7));
  }
  gaussian_copula<> identity(matrix::Identity(2, 2));
  CHECK(identity.factor().isIdentity());
}

TEST_CASE("invalid correlation matrices are rejected with a clear value_error") {
  matrix non_square(2, 3);
  non_square.setZero();
  CHECK(error_of(non_square) ==
        "rank correlation matrix: shape: must be square and non-empty, got 2x3");
  CHECK_THROWS_AS(gaussian_copula<>(matrix(0, 0)), value_error);

  matrix non_symmetric(2, 2);
  non_symmetric << 1, 0.5, 0.3, 1;
  CHECK(error_of(non_symmetric) == "rank correlation matrix: (0, 1): must equal entry (1, 0) (the "
                                   "matrix must be symmetric), got 0.5 vs 0.3");

  matrix bad_diagonal(2, 2);
  bad_diagonal << 1, 0.5, 0.5, 0.9;
  CHECK(error_of(bad_diagonal) == "rank correlation matrix: (1, 1): diagonal must be 1, got 0.9");

  matrix too_large(2, 2);
  too_large << 1, 1.2, 1.2, 1;
  CHECK(error_of(too_large) == "rank correlation matrix: (0, 1): must be in [-1, 1], got 1.2");

  matrix not_a_number(2, 2);
  not_a_number << 1, std::nan(""), std::nan(""), 1;
  CHECK_THROWS_AS(gaussian_copula<>(not_a_number), value_error);

  // Each pair is a valid correlation, the whole is not: A and B and B and C
  // strongly together, A and C strongly opposed.
  matrix not_psd(3, 3);
  not_psd << 1, 0.9, -0.9, //
      0.9, 1, 0.9,         //
      -0.9, 0.9, 1;
  const auto message = error_of(not_psd);
  CHECK(message.rfind("rank correlation matrix: matrix: is not positive semi-definite", 0) == 0);
}
