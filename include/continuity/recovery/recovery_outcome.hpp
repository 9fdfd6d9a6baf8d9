// continuity/recovery/recovery_outcome.hpp — what a schedule of a recovery
// project means for the business: each system's and each function's capacity
// over time, when they are back at degraded and at full capacity, the output
// lost, and the business impact.
//
// Capacity of a damaged system: 0 until its emergency phase ends, then its
// emergency capacity; 0 again from the start of its planned stop (or
// switch-back) to the end of the switch-back; 1 once the permanent phase is
// done (1 straight after the emergency phase if it has no permanent phase).
// A system's effective capacity is the least of its own and that of each of
// its requirements, where a requirement gives the k-th largest effective
// capacity of its candidates (all-of: the least, any-of: the greatest). A
// strongly connected group shares the least capacity of its members.
// A function's output is that of its requirements, raised to its manual
// workaround's capacity while the workaround runs (from its set-up time after
// the incident for at most its sustainable duration).
#pragma once

#include <continuity/model/model.hpp>
#include <continuity/recovery/capacity_profile.hpp>
#include <continuity/recovery/recovery_project.hpp>

#include <algorithm>
#include <limits>
#include <span>
#include <vector>

namespace continuity {

/// How one system comes back.
template <class Real = double>
struct system_outcome {
  bool down = false;    ///< down after the incident
  bool damaged = false; ///< damaged directly (has recovery work)
  /// Hours until it runs again, at any capacity (0 if never down).
  Real back_degraded = 0;
  /// Hours until it runs at full capacity for good (0 if never down).
  Real back_full = 0;
  /// When its own recovery ends (its back milestone), ignoring what it needs.
  Real own_back = 0;
  /// The same with unlimited staff and equipment (each system with the staff
  /// to itself: the "cumulative RTO" illusion).
  Real unconstrained_back = 0;
  /// The system whose return let this one run (itself, or a dependency);
  /// no_index if never down.
  index_t limited_by = no_index;
  /// Hours until the data it lost have been re-entered (back_degraded if none).
  Real data_ready = 0;
  capacity_profile<Real> capacity; ///< effective capacity over time
};

/// How one business function comes back.
template <class Real = double>
struct function_outcome {
  bool down = false; ///< stopped by the incident
  /// Hours until its systems let it run again, at any capacity (its
  /// recovery time capability, compared with the RTO).
  Real back_degraded = 0;
  /// Hours until its systems give full output for good.
  Real back_full = 0;
  /// back_degraded, or later if data it needs are still being re-entered,
  /// plus its work recovery time: when normal work resumes (compared with the MTPD).
  Real resumed = 0;
  /// The system whose return let it run; no_index if never down.
  index_t limited_by = no_index;
  Real workaround_start = 0; ///< when its manual workaround starts (+inf: none)
  Real workaround_end = 0;   ///< when it must stop (+inf: sustainable)
  Real lost_output_hours = 0; ///< ∫ (1 − output) dt: hours of output lost
  Real lost_profit = 0;       ///< lost_output_hours × profit per hour
  /// The money impact curves weighted by lost output (their sum; curves in
  /// other units, such as points or patients, are not money and not in it).
  Real curve_impact = 0;
  /// Each impact curve of the function, in its order and its own unit.
  std::vector<Real> curve_impacts;
  capacity_profile<Real> system_output; ///< output its systems allow
  capacity_profile<Real> output;        ///< output with the manual workaround

  /// lost_profit + curve_impact.
  Real business_impact() const noexcept { return lost_profit + curve_impact; }
};

/// Outcomes of every system and function.
template <class Real = double>
struct recovery_outcome {
  std::vector<system_outcome<Real>> systems;     ///< by system index
  std::vector<function_outcome<Real>> functions; ///< by function index
  /// Σ business impact of the functions.
  Real business_impact = 0;
};

namespace detail {

// True if the incident of `rp` strikes as the week's operating days begin
// (its scenario starts at incident_start::week_start).
template <class Real>
bool starts_at_week_start(const basic_model<Real>& m, const recovery_project<Real>& rp) noexcept {
  const index_t scenario = rp.situation().scenario;
  return scenario != no_index && m.scenario_at(scenario).starts == incident_start::week_start;
}

// The lost profit and the impact of each curve of function f of `m` whose
// output over time is `output`, accrued over [0, horizon) (+infinity: all).
// `week_start`: the incident strikes as the week's operating days begin
// (incident_start::week_start).
// `rt` and `rv` are working memory.
template <class Real>
void accrue_impacts(const basic_model<Real>& m, index_t f, const capacity_profile<Real>& output,
                    bool week_start, Real horizon, Real& lost_profit, std::vector<Real>& curves,
                    std::vector<Real>& rt, std::vector<Real>& rv) {
  const auto& fn = m.function_at(f);
  const bool all = !(horizon < std::numeric_limits<Real>::infinity());
  const Real lost_hours = output.lost_hours(horizon);
  // Same as lost_hours × profit_per_hour(), multiplied in an order that
  // keeps whole-hour outages of whole-yen figures exact.
  lost_profit = lost_hours * fn.revenue_per_day * fn.margin * fn.operating_days_per_week / Real(168);
  rt.clear();
  rv.clear();
  // Closes a rate function at the horizon.
  auto close = [&] {
    if (all) return;
    while (!rt.empty() && rt.back() >= horizon) {
      rt.pop_back();
      rv.pop_back();
    }
    rt.push_back(horizon);
    rv.push_back(Real(0));
  };
  // (Outages of more than about 1,900 years keep the weekly average.)
  const Real until = std::min(output.times().back(), horizon);
  if (week_start && fn.operating_days_per_week < 7 && std::isfinite(lost_hours) &&
      until < Real(168e5)) {
    // The incident strikes as the week's operating days begin: profit is
    // lost on the first operating_days_per_week days of each week only.
    const Real open = Real(24) * fn.operating_days_per_week;
    for (Real week = 0; week <= until; week += Real(168)) {
      rt.push_back(week);
      rv.push_back(Real(1));
      rt.push_back(week + open);
      rv.push_back(Real(0));
    }
    close();
    // Hours of operating time lost × profit per operating hour, multiplied
    // in the order that keeps whole hours of whole-yen figures exact.
    lost_profit = output.weighted_lost(rt, rv) * fn.revenue_per_day * fn.margin / Real(24);
  }
  curves.assign(fn.impact.size(), Real(0));
  for (std::size_t k = 0; k < fn.impact.size(); ++k) {
    rt.clear();
    rv.clear();
    Real impact = 0;
    for (const auto& st : fn.impact[k].steps) {
      if (!all && !(st.after < horizon)) break;
      rt.push_back(st.after);
      rv.push_back(st.rate_per_hour);
      if (st.lump != 0) impact += st.lump * (Real(1) - output.at(st.after));
    }
    close();
    curves[k] = impact + output.weighted_lost(rt, rv);
  }
}

template <class Real>
void accrue_impacts(const basic_model<Real>& m, index_t f, const capacity_profile<Real>& output,
                    bool week_start, Real horizon, Real& lost_profit, std::vector<Real>& curves) {
  std::vector<Real> rt, rv;
  accrue_impacts(m, f, output, week_start, horizon, lost_profit, curves, rt, rv);
}

} // namespace detail

namespace detail {

/// Working memory of evaluate_recovery, kept between evaluations.
template <class Real>
struct outcome_scratch {
  std::vector<const capacity_profile<Real>*> candidates; ///< a requirement's candidates
  std::vector<std::pair<Real, index_t>> backs; ///< their returns (time, rank of the system)
  capacity_profile<Real> cap, part, combined, kth, workaround;
  typename capacity_profile<Real>::kth_scratch kth_scratch;
  std::vector<Real> rate_time, rate; ///< accrue_impacts
};

/// Resets `o` to a system never down, keeping its memory.
template <class Real>
void reset_outcome(system_outcome<Real>& o) {
  o.down = o.damaged = false;
  o.back_degraded = o.back_full = o.own_back = o.unconstrained_back = o.data_ready = 0;
  o.limited_by = no_index;
  o.capacity.assign_constant(Real(1));
}

/// Resets `o` to a function never down, keeping its memory.
template <class Real>
void reset_outcome(function_outcome<Real>& o) {
  o.down = false;
  o.back_degraded = o.back_full = o.resumed = o.workaround_start = o.workaround_end = 0;
  o.lost_output_hours = o.lost_profit = o.curve_impact = 0;
  o.limited_by = no_index;
  o.curve_impacts.clear();
  o.system_output.assign_constant(Real(1));
  o.output.assign_constant(Real(1));
}

/// evaluate_recovery into `out`, reusing its memory and that of `scratch`.
/// `out` must be empty or the result of an earlier call for the same model
/// (the systems it had down are reset, the others are left as they are).
template <class Real>
void evaluate_recovery(const basic_model<Real>& m, const recovery_project<Real>& rp,
                       std::span<const Real> start, std::span<const Real> finish,
                       std::span<const Real> unconstrained_finish, recovery_outcome<Real>& out,
                       outcome_scratch<Real>& scratch) {
  constexpr Real inf = std::numeric_limits<Real>::infinity();
  const auto& g = m.graph();
  const index_t ns = m.system_count();
  out.systems.resize(ns);
  for (auto& o : out.systems)
    if (o.down) reset_outcome(o);
  out.business_impact = 0;
  const auto order = m.dependency_order_by_name();
  auto& ptrs = scratch.candidates;

  // The effective capacity that requirements [first, last) allow, and the
  // system whose return met the last of them.
  auto requirements = [&](index_t first, index_t last, index_t skip_component,
                          capacity_profile<Real>& cap, Real& back, index_t& by, Real& data) {
    for (index_t r = first; r < last; ++r) {
      const auto mem = g.members(r);
      ptrs.clear();
      bool any_down = false;
      for (index_t x : mem) {
        if (skip_component != no_index && g.component_of(x) == skip_component) continue;
        ptrs.push_back(&out.systems[x].capacity);
        any_down |= out.systems[x].down;
      }
      if (!any_down) continue;
      const std::size_t need = std::min<std::size_t>(g.needed(r), ptrs.size());
      if (need == 0) continue;
      capacity_profile<Real>::kth_largest(ptrs, need, scratch.kth, scratch.kth_scratch);
      capacity_profile<Real>::min_of(cap, scratch.kth, scratch.combined);
      std::swap(cap, scratch.combined);
      // The need-th earliest return among the candidates.
      // (time, rank of the system): ties by name, whatever the order of the list.
      auto& backs = scratch.backs;
      backs.clear();
      for (index_t x : mem) {
        if (skip_component != no_index && g.component_of(x) == skip_component) continue;
        const auto& o = out.systems[x];
        backs.emplace_back(o.down ? o.back_degraded : Real(0), m.system_rank(x));
      }
      std::sort(backs.begin(), backs.end());
      const auto system = [&](std::size_t k) { return m.systems_by_name()[backs[k].second]; };
      const Real t = backs[need - 1].first;
      const index_t x = system(need - 1);
      if (out.systems[x].down && t >= back) {
        const index_t cand = out.systems[x].limited_by;
        if (t > back || by == no_index || m.system_rank(cand) < m.system_rank(by)) by = cand;
        back = t;
      }
      for (std::size_t i = 0; i < need; ++i)
        if (out.systems[system(i)].down) data = std::max(data, out.systems[system(i)].data_ready);
    }
  };

  for (std::size_t i = 0; i < order.size();) {
    const index_t c = g.component_of(order[i]);
    const auto members = order.subspan(i, g.component_members(c).size());
    i += members.size();
    bool any_down = false;
    for (index_t s : members) any_down |= rp.is_down(s);
    if (!any_down) continue;
    auto& cap = scratch.cap;
    cap.assign_constant(Real(1));
    Real back = 0, own = 0, free = 0, data = 0;
    index_t by = no_index;
    for (index_t s : members) {
      if (!rp.is_down(s)) continue;
      const std::size_t b = rp.back_degraded(s);
      own = std::max(own, finish[b]);
      if (!unconstrained_finish.empty()) free = std::max(free, unconstrained_finish[b]);
      if (rp.is_damaged(s)) {
        auto& p = scratch.part;
        p.assign_constant(Real(0));
        const Real e = finish[b];
        const std::size_t full = rp.back_full(s);
        if (full == b) {
          p.set_from(e, Real(1));
        } else {
          p.set_from(e, rp.emergency_capacity(s));
          if (rp.stop_begins(s) != no_activity) {
            p.set_from(std::max(e, start[rp.stop_begins(s)]), Real(0));
            p.set_from(std::max(e, finish[rp.stop_ends(s)]), rp.emergency_capacity(s));
          }
          p.set_from(std::max(e, finish[full]), Real(1));
        }
        capacity_profile<Real>::min_of(cap, p, scratch.combined);
        std::swap(cap, scratch.combined);
        if (e > back || by == no_index || (e == back && m.system_rank(s) < m.system_rank(by))) {
          back = e;
          by = s;
        }
      }
      if (rp.data_reentry(s) != no_activity) data = std::max(data, finish[rp.data_reentry(s)]);
    }
    for (index_t s : members) {
      const auto [first, last] = g.requirements_of(s);
      requirements(first, last, members.size() > 1 ? c : no_index, cap, back, by, data);
    }
    if (by == no_index) by = members.front();
    for (index_t s : members) {
      auto& o = out.systems[s];
      o.down = rp.is_down(s);
      o.damaged = rp.is_damaged(s);
      if (!o.down) continue;
      o.capacity = cap;
      o.back_degraded = cap.first_above(Real(0));
      o.back_full = cap.settled_at(Real(1));
      o.own_back = own;
      o.unconstrained_back = free;
      o.limited_by = by;
      o.data_ready = std::max(data, o.back_degraded);
    }
  }

  const index_t nf = m.function_count();
  out.functions.resize(nf);
  const bool week_start = detail::starts_at_week_start(m, rp);
  for (index_t f = 0; f < nf; ++f) {
    auto& o = out.functions[f];
    reset_outcome(o);
    const auto& fn = m.function_at(f);
    o.down = rp.impact().function_down[f] != 0;
    o.workaround_start = o.workaround_end = inf;
    if (!o.down) continue;
    auto& cap = scratch.cap;
    cap.assign_constant(Real(1));
    Real back = 0, data = 0;
    index_t by = no_index;
    const auto [first, last] = g.requirements_of(g.function_node(f));
    requirements(first, last, no_index, cap, back, by, data);
    o.system_output = cap;
    o.back_degraded = cap.first_above(Real(0));
    o.back_full = cap.settled_at(Real(1));
    o.limited_by = by;
    o.resumed = std::max(o.back_degraded, data) + fn.wrt;
    if (fn.workaround && fn.workaround->capacity > 0) {
      const auto& w = *fn.workaround;
      o.workaround_start = w.setup_time;
      o.workaround_end = w.setup_time + w.max_duration;
      auto& wp = scratch.workaround;
      wp.assign_constant(Real(0));
      wp.set_from(w.setup_time, w.capacity);
      if (std::isfinite(o.workaround_end)) wp.set_from(o.workaround_end, Real(0));
      capacity_profile<Real>::max_of(cap, wp, o.output);
    } else {
      o.output = cap;
    }
    o.lost_output_hours = o.output.lost_hours();
    detail::accrue_impacts(m, f, o.output, week_start, inf, o.lost_profit, o.curve_impacts,
                           scratch.rate_time, scratch.rate);
    for (std::size_t k : m.impact_curves_in_order(f))
      if (m.impact_in_money(f, k)) o.curve_impact += o.curve_impacts[k];
  }
  for (index_t f : m.functions_by_name())
    if (out.functions[f].down) out.business_impact += out.functions[f].business_impact();
}

} // namespace detail

/// What the schedule `finish` times (one per activity of `rp`) mean for the
/// systems and functions of `m`. `unconstrained_finish` may be empty (then
/// unconstrained_back stays 0). O(systems + functions + edges) profile
/// operations.
template <class Real>
recovery_outcome<Real> evaluate_recovery(const basic_model<Real>& m,
                                         const recovery_project<Real>& rp,
                                         std::span<const Real> start,
                                         std::span<const Real> finish,
                                         std::span<const Real> unconstrained_finish = {}) {
  recovery_outcome<Real> out;
  detail::outcome_scratch<Real> scratch;
  detail::evaluate_recovery(m, rp, start, finish, unconstrained_finish, out, scratch);
  return out;
}

} // namespace continuity
