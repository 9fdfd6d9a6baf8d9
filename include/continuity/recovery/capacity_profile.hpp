// continuity/recovery/capacity_profile.hpp — capacity over time as a step
// function: the fraction of normal output a system or business function gives
// from the incident (time 0) on.
#pragma once

#include <algorithm>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

namespace continuity {

/// A right-continuous step function of time t >= 0 with values in [0, 1]:
/// value(i) holds on [time(i), time(i+1)), the last value from its time on
/// forever. The first breakpoint is always at t = 0; neighbouring values
/// differ (the profile is kept in its shortest form).
template <class Real = double>
class capacity_profile {
public:
  /// Full capacity at all times.
  capacity_profile() : time_{Real(0)}, value_{Real(1)} {}

  /// A constant profile.
  static capacity_profile constant(Real value) {
    capacity_profile p;
    p.value_[0] = value;
    return p;
  }

  /// Makes the profile the constant `value`, reusing its memory.
  void assign_constant(Real value) {
    time_.assign(1, Real(0));
    value_.assign(1, value);
  }

  /// Appends "from time t on, value v". Times must not decrease; a value equal
  /// to the current last one is ignored, and a breakpoint at the time of the
  /// last one replaces it.
  void set_from(Real t, Real v) {
    if (t <= time_.back()) {
      value_.back() = v;
      if (value_.size() > 1 && value_[value_.size() - 2] == v) {
        time_.pop_back();
        value_.pop_back();
      }
      return;
    }
    if (v == value_.back()) return;
    time_.push_back(t);
    value_.push_back(v);
  }

  /// Number of breakpoints (≥ 1).
  std::size_t size() const noexcept { return time_.size(); }
  /// Breakpoint times, ascending, the first 0.
  std::span<const Real> times() const noexcept { return time_; }
  /// Value from each breakpoint on.
  std::span<const Real> values() const noexcept { return value_; }

  /// The value at time t (t < 0 counts as 0).
  Real at(Real t) const noexcept {
    const auto it = std::upper_bound(time_.begin(), time_.end(), t);
    return it == time_.begin() ? value_.front() : value_[static_cast<std::size_t>(it - time_.begin()) - 1];
  }

  /// The value from the last breakpoint on (what the profile settles at).
  Real final_value() const noexcept { return value_.back(); }

  /// The first time the value is above `level` (+infinity if never).
  Real first_above(Real level) const noexcept {
    for (std::size_t i = 0; i < value_.size(); ++i)
      if (value_[i] > level) return time_[i];
    return std::numeric_limits<Real>::infinity();
  }

  /// The time from which the value stays at least `level` for ever
  /// (+infinity if it ends below `level`; 0 if it never drops below).
  Real settled_at(Real level) const noexcept {
    if (value_.back() < level) return std::numeric_limits<Real>::infinity();
    for (std::size_t i = value_.size(); i-- > 0;)
      if (value_[i] < level) return time_[i + 1];
    return Real(0);
  }

  /// ∫₀^horizon (1 − value(t)) dt: hours of lost output up to `horizon`.
  Real lost_hours(Real horizon = std::numeric_limits<Real>::infinity()) const noexcept {
    Real total = 0;
    for (std::size_t i = 0; i < value_.size(); ++i) {
      const Real a = time_[i];
      if (a >= horizon) break;
      const Real b = i + 1 < time_.size() ? std::min(time_[i + 1], horizon) : horizon;
      if (value_[i] < Real(1)) total += (Real(1) - value_[i]) * (b - a);
    }
    return total;
  }

  /// ∫₀^∞ rate(t) · (1 − value(t)) dt for a step rate function given as
  /// breakpoints `rate_time` (ascending) with `rate` from each on (0 before
  /// the first); the profile must end at 1 for the integral to be finite.
  Real weighted_lost(std::span<const Real> rate_time, std::span<const Real> rate) const noexcept {
    Real total = 0;
    std::size_t i = 0, j = 0;
    Real t = 0, r = 0;
    // Rate breakpoints at or before 0 only set the rate the integral starts with.
    while (j < rate_time.size() && rate_time[j] <= Real(0)) r = rate[j++];
    while (true) {
      const Real next_profile = i + 1 < time_.size() ? time_[i + 1] : std::numeric_limits<Real>::infinity();
      const Real next_rate = j < rate_time.size() ? rate_time[j] : std::numeric_limits<Real>::infinity();
      const Real next = std::min(next_profile, next_rate);
      if (value_[i] < Real(1) && r != Real(0)) {
        if (next == std::numeric_limits<Real>::infinity()) return std::numeric_limits<Real>::infinity();
        total += r * (Real(1) - value_[i]) * (next - t);
      }
      if (next == std::numeric_limits<Real>::infinity()) return total;
      t = next;
      if (next_profile == next) ++i;
      if (next_rate == next) r = rate[j++];
    }
  }

  /// Pointwise minimum.
  friend capacity_profile min(const capacity_profile& a, const capacity_profile& b) {
    capacity_profile out;
    min_of(a, b, out);
    return out;
  }
  /// Pointwise maximum.
  friend capacity_profile max(const capacity_profile& a, const capacity_profile& b) {
    capacity_profile out;
    max_of(a, b, out);
    return out;
  }
  /// Pointwise minimum of `a` and `b` into `out` (neither of them), reusing its memory.
  static void min_of(const capacity_profile& a, const capacity_profile& b, capacity_profile& out) {
    combine(a, b, out, [](Real x, Real y) { return std::min(x, y); });
  }
  /// Pointwise maximum of `a` and `b` into `out` (neither of them), reusing its memory.
  static void max_of(const capacity_profile& a, const capacity_profile& b, capacity_profile& out) {
    combine(a, b, out, [](Real x, Real y) { return std::max(x, y); });
  }

  /// Working memory of kth_largest, kept between calls.
  struct kth_scratch {
    std::vector<Real> times;      ///< every breakpoint of the profiles
    std::vector<std::size_t> pos; ///< each profile's step at the time
    std::vector<Real> values;     ///< their values at the time
  };

  /// Pointwise k-th largest (k ≥ 1) of the profiles: the capacity of "any k
  /// of n" when each candidate gives its own profile. k = 1 is the maximum,
  /// k = n the minimum. Returns constant 0 if k exceeds their number.
  static capacity_profile kth_largest(std::span<const capacity_profile* const> profiles,
                                      std::size_t k) {
    capacity_profile out;
    kth_scratch scratch;
    kth_largest(profiles, k, out, scratch);
    return out;
  }

  /// kth_largest into `out` (none of the profiles), reusing its memory and
  /// that of `scratch`.
  static void kth_largest(std::span<const capacity_profile* const> profiles, std::size_t k,
                          capacity_profile& out, kth_scratch& scratch) {
    if (k == 0 || k > profiles.size()) {
      out.assign_constant(Real(0));
      return;
    }
    auto& times = scratch.times;
    times.clear();
    for (const auto* p : profiles) times.insert(times.end(), p->time_.begin(), p->time_.end());
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    auto& pos = scratch.pos;
    auto& v = scratch.values;
    pos.assign(profiles.size(), 0);
    v.resize(profiles.size());
    out.assign_constant(Real(1));
    for (Real t : times) {
      for (std::size_t i = 0; i < profiles.size(); ++i) {
        const auto& p = *profiles[i];
        while (pos[i] + 1 < p.time_.size() && p.time_[pos[i] + 1] <= t) ++pos[i];
        v[i] = p.value_[pos[i]];
      }
      std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k - 1), v.end(),
                       [](Real x, Real y) { return x > y; });
      out.set_from(t, v[k - 1]);
    }
  }

  friend bool operator==(const capacity_profile&, const capacity_profile&) = default;

private:
  template <class Op>
  static void combine(const capacity_profile& a, const capacity_profile& b, capacity_profile& out,
                      Op op) {
    std::size_t i = 0, j = 0;
    out.assign_constant(op(a.value_[0], b.value_[0]));
    while (i + 1 < a.time_.size() || j + 1 < b.time_.size()) {
      const Real ta = i + 1 < a.time_.size() ? a.time_[i + 1] : std::numeric_limits<Real>::infinity();
      const Real tb = j + 1 < b.time_.size() ? b.time_[j + 1] : std::numeric_limits<Real>::infinity();
      const Real t = std::min(ta, tb);
      if (ta == t) ++i;
      if (tb == t) ++j;
      out.set_from(t, op(a.value_[i], b.value_[j]));
    }
  }

  std::vector<Real> time_, value_;
};

} // namespace continuity
