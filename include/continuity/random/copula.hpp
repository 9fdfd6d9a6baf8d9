// continuity/random/copula.hpp — the Gaussian copula: rank-correlated
// uniforms for inputs that must move together (e.g. outage length and
// recovery cost).
#pragma once

#include <continuity/error.hpp>
#include <continuity/random/detail/check.hpp>
#include <continuity/random/normal.hpp>

#include <Eigen/Cholesky>
#include <Eigen/Dense>
#include <Eigen/Eigenvalues>
#include <Eigen/QR>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>
#include <span>
#include <string>

namespace continuity {

/// The Pearson correlation of a bivariate normal whose Spearman rank
/// correlation is `spearman`: 2·sin(π·ρ_S/6).
template <class Real>
Real spearman_to_pearson(Real spearman) {
  return 2 * std::sin(std::numbers::pi_v<Real> * spearman / 6);
}

/// A Gaussian copula with a given Spearman rank-correlation matrix. Each
/// draw is a vector of uniforms on (0, 1) whose rank correlations are the
/// target; feed them to distribution::quantile to get correlated inputs with
/// any marginals (ranks, and so Spearman correlations, survive any
/// increasing transformation).
template <class Real = double>
class gaussian_copula {
public:
  /// Square matrix type.
  using matrix_type = Eigen::Matrix<Real, Eigen::Dynamic, Eigen::Dynamic>;

  /// Checks `spearman` is a valid correlation matrix — square, finite,
  /// entries in [−1, 1], symmetric, unit diagonal, positive semi-definite —
  /// throwing value_error otherwise; converts it to the Pearson correlation
  /// of the underlying normals and factors that.
  explicit gaussian_copula(const matrix_type& spearman) : spearman_(spearman) {
    const char* kind = "rank correlation matrix";
    const auto n = spearman.rows();
    if (n == 0 || spearman.cols() != n) {
      std::string problem = "must be square and non-empty, got ";
      problem += std::to_string(n);
      problem += 'x';
      problem += std::to_string(spearman.cols());
      throw value_error(kind, "", "shape", problem);
    }
    const Real tolerance = Real(1e-12);
    for (Eigen::Index i = 0; i < n; ++i)
      for (Eigen::Index j = 0; j < n; ++j) {
        const Real x = spearman(i, j);
        if (!(x >= -1 && x <= 1))
          throw value_error(kind, "", entry(i, j),
                            "must be in [-1, 1], got " + detail::format_number(x));
        if (i == j && std::abs(x - 1) > tolerance)
          throw value_error(kind, "", entry(i, j),
                            "diagonal must be 1, got " + detail::format_number(x));
        if (j > i && std::abs(x - spearman(j, i)) > tolerance) {
          std::string problem = "must equal entry ";
          problem += entry(j, i);
          problem += " (the matrix must be symmetric), got ";
          problem += detail::format_number(x);
          problem += " vs ";
          problem += detail::format_number(spearman(j, i));
          throw value_error(kind, "", entry(i, j), problem);
        }
      }
    require_positive_semidefinite(spearman, kind, "");
    pearson_ = spearman.unaryExpr([](Real r) { return spearman_to_pearson(r); });
    pearson_.diagonal().setOnes();
    require_positive_semidefinite(pearson_, kind, " after conversion to Pearson correlation");
    factor_ = lower_factor(pearson_);
  }

  /// Number of correlated variables.
  std::size_t dimension() const noexcept { return static_cast<std::size_t>(spearman_.rows()); }
  /// The target Spearman rank-correlation matrix.
  const matrix_type& spearman() const noexcept { return spearman_; }
  /// The Pearson correlation matrix of the underlying normals.
  const matrix_type& pearson() const noexcept { return pearson_; }
  /// Lower-triangular L with L·Lᵀ = pearson().
  const matrix_type& factor() const noexcept { return factor_; }

  /// Fills `uniforms` (size dimension(), precondition) with one draw of
  /// correlated uniforms strictly inside (0, 1): U = Φ(L·Z), Z independent
  /// standard normals. Allocation-free.
  template <class Engine>
  void sample(Engine& engine, std::span<Real> uniforms) const {
    assert(uniforms.size() == dimension());
    const auto n = static_cast<Eigen::Index>(uniforms.size());
    for (auto& z : uniforms) z = standard_normal<Real>(engine);
    // y = L·z in place, last row first: row i only reads z_0..z_i.
    for (Eigen::Index i = n - 1; i >= 0; --i) {
      Real y = 0;
      for (Eigen::Index j = 0; j <= i; ++j)
        y += factor_(i, j) * uniforms[static_cast<std::size_t>(j)];
      uniforms[static_cast<std::size_t>(i)] = y;
    }
    constexpr Real smallest = std::numeric_limits<Real>::min();
    constexpr Real largest = 1 - std::numeric_limits<Real>::epsilon() / 2;
    for (auto& u : uniforms)
      u = std::clamp(std::erfc(-u / std::numbers::sqrt2_v<Real>) / 2, smallest, largest);
  }

private:
  static std::string entry(Eigen::Index i, Eigen::Index j) {
    std::string s = "(";
    s += std::to_string(i);
    s += ", ";
    s += std::to_string(j);
    s += ')';
    return s;
  }
  static void require_positive_semidefinite(const matrix_type& m, const char* kind,
                                            const char* stage) {
    Eigen::SelfAdjointEigenSolver<matrix_type> solver(m, Eigen::EigenvaluesOnly);
    const Real smallest = solver.eigenvalues().minCoeff();
    if (smallest < -Real(1e-10)) {
      std::string problem = "is not positive semi-definite";
      problem += stage;
      problem += " (smallest eigenvalue ";
      problem += detail::format_number(smallest);
      problem += ')';
      throw value_error(kind, "", "matrix", problem);
    }
  }
  static matrix_type lower_factor(const matrix_type& m) {
    Eigen::LLT<matrix_type> llt(m);
    if (llt.info() == Eigen::Success) return llt.matrixL();
    // Singular (e.g. two variables with correlation 1): B = V·sqrt(Λ⁺) has
    // B·Bᵀ = m; the QR factorisation Bᵀ = Q·R gives m = Rᵀ·R, Rᵀ lower.
    Eigen::SelfAdjointEigenSolver<matrix_type> solver(m);
    const matrix_type b =
        solver.eigenvectors() * solver.eigenvalues().cwiseMax(Real(0)).cwiseSqrt().asDiagonal();
    Eigen::HouseholderQR<matrix_type> qr(b.transpose());
    matrix_type r = qr.matrixQR().template triangularView<Eigen::Upper>();
    // Fix signs so the diagonal is non-negative (any sign pattern is valid).
    for (Eigen::Index i = 0; i < r.rows(); ++i)
      if (r(i, i) < 0) r.row(i) *= -1;
    return r.transpose();
  }

  matrix_type spearman_, pearson_, factor_;
};

} // namespace continuity
