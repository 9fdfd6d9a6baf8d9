// continuity/loss/insurance.hpp — what insurance policies (model/
// insurance_policy.hpp) recover of incident losses: gross, insured and
// retained.
//
// One event (an occurrence of a scenario, or a top-down event), one policy
// that covers its scenario:
//   1. covered loss by cost category: the event's loss in each category,
//      the opportunity category less what accrued during the policy's
//      waiting period, each capped at the policy's sub-limit for it;
//   2. the covered loss is their sum; the policy's recovery for the event is
//      the layer above the deductible up to the per-event limit:
//      min(max(covered − deductible, 0), limit).
// A top-down event has neither cost categories nor an outage: its covered
// loss is its whole loss (sub-limits and the waiting period do not apply).
//
// A year: events are settled in occurrence order (bottom-up scenarios by
// name, each scenario's occurrences in turn; top-down scenarios in portfolio
// order, each one's events in turn). At each event the policies pay in their
// order, each its recovery for the event, at most what the annual aggregate
// limit leaves of it this year, and at most what the policies before it left
// of the event's gross loss (so that insurance never pays more than the
// loss, even with overlapping policies). The insured loss of a year is what
// they paid together, the retained loss the rest (loss_split.hpp).
// Insurance draws nothing at random.
//
// The waiting period of a bottom-up incident: loss/incident_insurance.hpp.
#pragma once

#include <continuity/loss/loss_split.hpp>
#include <continuity/model/insurance_policy.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <span>
#include <vector>

namespace continuity {

/// What policy `p` pays for one event whose covered loss is `covered`: the
/// layer above the deductible up to the per-event limit,
/// min(max(covered − deductible, 0), limit).
template <class Real>
Real insurance_layer(const insurance_policy<Real>& p, Real covered) noexcept {
  return std::min(std::max(covered - p.deductible, Real(0)), p.limit);
}

/// What policy `p`'s per-event terms recover for an event with loss
/// `by_category` (by cost_category), of which
/// `opportunity_in_waiting_period` (opportunity cost) accrued during the
/// policy's waiting period: each category capped at its sub-limit, summed
/// in category order, then the layer above the deductible up to the limit.
/// Before the annual aggregate limit (see settle_event).
template <class Real>
Real insured_event(const insurance_policy<Real>& p,
                   std::span<const Real, cost_category_count> by_category,
                   Real opportunity_in_waiting_period = Real(0)) noexcept {
  Real covered = 0;
  for (std::size_t c = 0; c < cost_category_count; ++c) {
    Real loss = by_category[c];
    if (static_cast<cost_category>(c) == cost_category::opportunity)
      loss = std::max(loss - opportunity_in_waiting_period, Real(0));
    covered += std::min(loss, p.sublimits[c]);
  }
  return insurance_layer(p, covered);
}

/// What policy `p`'s per-event terms recover for an event without cost
/// categories or outage (a top-down event) of loss `loss`:
/// insurance_layer(p, loss).
template <class Real>
Real insured_event(const insurance_policy<Real>& p, Real loss) noexcept {
  return insurance_layer(p, loss);
}

/// Settles one event of a year under `policies`, in their order:
/// `recoverable(p)` is what policy p's per-event terms recover for it (0
/// if p does not cover it), `paid(p)` a Real& to what p has paid this year
/// so far (updated: it never exceeds p's aggregate limit), `gross` the
/// event's loss. Each policy pays at most what its aggregate limit leaves
/// and what the policies before it left of `gross`. Returns what they paid
/// for this event together.
template <class Real, class Recoverable, class Paid>
Real settle_event(std::span<const insurance_policy<Real>> policies, Real gross,
                  Recoverable&& recoverable, Paid&& paid) {
  Real left = std::max(gross, Real(0)), insured = 0;
  for (std::size_t p = 0; p < policies.size(); ++p) {
    const Real r = std::min(static_cast<Real>(recoverable(p)), left);
    if (!(r > 0)) continue;
    Real& so_far = paid(p);
    const Real before = so_far;
    so_far = std::min(before + r, policies[p].aggregate_limit);
    const Real pay = so_far - before;
    insured += pay;
    left = std::max(left - pay, Real(0));
  }
  return insured;
}

/// The insurance of a sequence of events of one year, settled in the order
/// they are given (settle_event). Without simulation: e.g. to check a
/// policy's terms on a few losses by hand.
template <class Real = double>
class insurance_year {
public:
  /// A year under `policies` (kept by reference: they must outlive it),
  /// nothing paid yet.
  explicit insurance_year(std::span<const insurance_policy<Real>> policies)
      : policies_(policies), paid_(policies.size(), Real(0)) {}

  /// Settles the next event: `recoverable[p]` what policy p's per-event
  /// terms recover for it (insured_event; 0 if p does not cover it),
  /// `gross` its loss. Returns its insured part.
  Real settle(std::span<const Real> recoverable, Real gross) {
    return settle_event(policies_, gross, [&](std::size_t p) { return recoverable[p]; },
                        [&](std::size_t p) -> Real& { return paid_[p]; });
  }
  /// What each policy has paid this year so far.
  std::span<const Real> paid_by_policy() const noexcept { return paid_; }
  /// What the policies have paid this year so far, together.
  Real insured() const noexcept {
    Real total = 0;
    for (Real v : paid_) total += v;
    return total;
  }

private:
  std::span<const insurance_policy<Real>> policies_;
  std::vector<Real> paid_;
};

} // namespace continuity
