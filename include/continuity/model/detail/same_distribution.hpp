// continuity/model/detail/same_distribution.hpp — equality of two
// distributions for the models' operator==.
#pragma once

#include <continuity/random/distribution.hpp>

namespace continuity::detail {

/// Equality of two distributions by family and by their defining figures
/// (moments and quantiles), since distributions have no parameter comparison.
template <class Real>
bool same_distribution(const distribution<Real>& a, const distribution<Real>& b) {
  if (a.name() != b.name()) return false;
  for (Real p : {Real(0), Real(0.1), Real(0.5), Real(0.9)})
    if (a.quantile(p) != b.quantile(p)) return false;
  return a.mean() == b.mean() && a.variance() == b.variance();
}

} // namespace continuity::detail
