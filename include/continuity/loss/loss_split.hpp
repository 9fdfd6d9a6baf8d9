// continuity/loss/loss_split.hpp — a gross loss split into its insured and
// retained parts so that the two add up to the gross exactly, in floating
// point: insured + retained == gross, bit for bit.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>

namespace continuity {

/// A gross loss split into an insured and a retained part.
template <class Real = double>
struct loss_split {
  Real insured = 0;  ///< what insurance recovers
  Real retained = 0; ///< what the organisation bears: gross − insured
};

/// Splits `gross` into `insured` (clamped to [0, gross]) and the rest so
/// that insured + retained == gross holds exactly in floating point (for a
/// finite gross). Computing retained = gross − insured alone does not give
/// that (about 3 % of random pairs miss by a unit in the last place); the
/// insured part is therefore rounded down, by less than one unit in the last
/// place of the gross, to the nearest value for which it does. Never more
/// than `insured`, so a limit on the insured part still holds.
template <class Real>
loss_split<Real> split_loss(Real gross, Real insured) noexcept {
  if (!(gross > 0)) return {Real(0), gross};
  insured = std::clamp(insured, Real(0), gross);
  if (!std::isfinite(gross)) return {insured, gross - insured};
  // If insured >= gross / 2, gross − insured is exact (Sterbenz) and so is
  // the sum. Otherwise retained >= gross / 2, so gross − retained is exact
  // and adds back to gross; rounding retained up once keeps it at most
  // `insured`.
  Real retained = gross - insured;
  Real part = gross - retained;
  if (part > insured) {
    retained = std::nextafter(retained, std::numeric_limits<Real>::infinity());
    part = gross - retained;
  }
  return {part, retained};
}

} // namespace continuity
