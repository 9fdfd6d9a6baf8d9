// continuity/random/histogram.hpp — a distribution given as the shares of
// its values falling in bins (a published survey: "24 % under ¥1 m, 16 % from
// ¥1 m to ¥5 m, ..."), uniform or log-uniform within each bin.
#pragma once

#include <continuity/random/detail/check.hpp>
#include <continuity/random/rng.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace continuity {

/// How a histogram spreads the values within a bin.
enum class histogram_scale {
  linear, ///< uniformly between the bin's edges
  log,    ///< log-uniformly (for amounts spanning orders of magnitude; edges > 0)
};

/// A piecewise distribution: bin k, from edges[k] to edges[k + 1], holds the
/// share probabilities[k] of the values (shares are normalised to sum to 1),
/// spread uniformly or log-uniformly within it. The CDF is continuous and
/// passes through the cumulative shares at the edges, so a histogram built
/// from a survey's shares reproduces them exactly. Cheap to copy.
template <class Real = double>
class histogram {
public:
  /// Family name used in messages.
  static constexpr std::string_view name = "histogram";

  /// At least two strictly increasing finite edges, one non-negative share
  /// per bin with a positive sum; edges above 0 for the log scale.
  histogram(std::span<const Real> edges, std::span<const Real> shares,
            histogram_scale scale = histogram_scale::linear)
      : scale_(scale) {
    if (edges.size() < 2)
      throw value_error("histogram", "", "edges", "needs at least two edges (one bin)");
    if (shares.size() != edges.size() - 1)
      throw value_error("histogram", "", "probabilities",
                        "needs one share per bin: " + std::to_string(edges.size() - 1) +
                            " bins, got " + std::to_string(shares.size()));
    Real total = 0;
    for (std::size_t k = 0; k < edges.size(); ++k) {
      if (!std::isfinite(edges[k]))
        throw value_error("histogram", "", "edges[" + std::to_string(k) + "]",
                          "must be finite, got " + detail::format_number(edges[k]));
      if (k > 0 && !(edges[k] > edges[k - 1]))
        throw value_error("histogram", "", "edges[" + std::to_string(k) + "]",
                          "edges must increase strictly");
    }
    if (scale == histogram_scale::log && !(edges[0] > 0))
      throw value_error("histogram", "", "edges[0]",
                        "must be above 0 on the log scale, got " + detail::format_number(edges[0]));
    for (std::size_t k = 0; k < shares.size(); ++k) {
      if (!(shares[k] >= 0) || !std::isfinite(shares[k]))
        throw value_error("histogram", "", "probabilities[" + std::to_string(k) + "]",
                          "must be a finite non-negative share, got " +
                              detail::format_number(shares[k]));
      total += shares[k];
    }
    if (!(total > 0))
      throw value_error("histogram", "", "probabilities", "must not all be 0");
    auto d = std::make_shared<data>();
    d->edges.assign(edges.begin(), edges.end());
    d->cumulative.push_back(Real(0));
    for (Real s : shares) {
      d->shares.push_back(s / total);
      d->cumulative.push_back(d->cumulative.back() + s / total);
    }
    d->cumulative.back() = Real(1);
    data_ = std::move(d);
  }
  /// Convenience overload for vectors or initializer lists.
  histogram(const std::vector<Real>& edges, const std::vector<Real>& shares,
            histogram_scale scale = histogram_scale::linear)
      : histogram(std::span<const Real>(edges), std::span<const Real>(shares), scale) {}

  /// The bin edges.
  std::span<const Real> edges() const noexcept { return data_->edges; }
  /// The bins' shares, normalised to sum to 1.
  std::span<const Real> probabilities() const noexcept { return data_->shares; }
  /// Linear or log within the bins.
  histogram_scale scale() const noexcept { return scale_; }

  /// One variate (the quantile of a uniform number).
  template <class Engine>
  Real operator()(Engine& engine) const {
    return quantile(uniform01<Real>(engine));
  }
  /// Inverse CDF at p in [0, 1].
  Real quantile(Real p) const {
    detail::require_probability("histogram", p);
    const auto& c = data_->cumulative;
    const auto& e = data_->edges;
    if (p >= Real(1)) return e.back();
    // The bin k with c[k] <= p < c[k + 1] (bins of share 0 are skipped).
    const auto k = static_cast<std::size_t>(std::upper_bound(c.begin(), c.end(), p) - c.begin()) - 1;
    const Real t = (p - c[k]) / (c[k + 1] - c[k]);
    return within(e[k], e[k + 1], std::clamp(t, Real(0), Real(1)));
  }
  /// P(X <= x).
  Real cdf(Real x) const {
    const auto& e = data_->edges;
    if (!(x > e.front())) return Real(0);
    if (x >= e.back()) return Real(1);
    const auto k = static_cast<std::size_t>(std::upper_bound(e.begin(), e.end(), x) - e.begin()) - 1;
    const Real a = e[k], b = e[k + 1];
    Real t;
    if (scale_ == histogram_scale::log)
      t = log_ratio(x, a) / log_ratio(b, a);
    else if (std::isfinite(b - a))
      t = (x - a) / (b - a);
    else // edges of opposite signs near the largest doubles: halve them first
      t = (x / 2 - a / 2) / (b / 2 - a / 2);
    return data_->cumulative[k] + data_->shares[k] * t;
  }
  /// The expected value: Σ share × the bin's mean ((a + b) / 2, or
  /// (b − a) / ln(b / a) on the log scale).
  Real mean() const { return moment(1); }
  /// The variance: Σ share × the bin's second moment, less the mean squared.
  Real variance() const {
    const Real m = mean();
    return std::max(Real(0), moment(2) - m * m);
  }

private:
  struct data {
    std::vector<Real> edges, shares, cumulative;
  };

  // ln(x/a), also where x/a overflows (edges such as 1e-300 and 1e9: a lower
  // edge written for "from 0"), as a difference of logarithms.
  static Real log_ratio(Real x, Real a) {
    const Real r = x / a;
    return std::isfinite(r) ? std::log(r) : std::log(x) - std::log(a);
  }
  Real within(Real a, Real b, Real t) const {
    if (scale_ == histogram_scale::log) {
      if (std::isfinite(b / a)) return std::min(b, a * std::pow(b / a, t));
      return t > 0 ? std::min(b, std::exp(std::log(a) + t * log_ratio(b, a))) : a;
    }
    if (std::isfinite(b - a)) return a + t * (b - a);
    return (1 - t) * a + t * b; // b − a overflows
  }
  // E[X^r] for r = 1, 2.
  Real moment(int r) const {
    const auto& e = data_->edges;
    Real s = 0;
    for (std::size_t k = 0; k + 1 < e.size(); ++k) {
      const Real a = e[k], b = e[k + 1], w = data_->shares[k];
      if (w == 0) continue;
      Real m;
      if (scale_ == histogram_scale::log) {
        const Real l = log_ratio(b, a);
        m = r == 1 ? (b - a) / l : (b * b - a * a) / (2 * l);
      } else {
        m = r == 1 ? a / 2 + b / 2 : (a * a + a * b + b * b) / 3;
      }
      s += w * m;
    }
    return s;
  }

  std::shared_ptr<const data> data_;
  histogram_scale scale_;
};

} // namespace continuity
