// continuity/recovery/gap_report.hpp — where a recovery plan falls short of
// the objectives: recovery time capability vs RTO, realised RPO vs RPO
// objective, RTO + WRT vs MTPD, manual workaround exhausted before recovery,
// data lost with no surviving backup — each with its cause traced back along
// the plan's critical path (which step, which dependency, which resource made
// it late).
#pragma once

#include <continuity/model/model.hpp>
#include <continuity/recovery/recovery_plan.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <continuity/detail/gcc12_restrict_push.hpp>

namespace continuity {

/// Why an activity starts when it does.
enum class delay_reason : std::uint8_t {
  start,      ///< nothing held it back: it starts at time 0
  release,    ///< its release time: the incident's detection, or a lead time
  sequence,   ///< an earlier step of the same system's procedure
  dependency, ///< a system it depends on coming back
  resource,   ///< staff or equipment busy with another activity
};

/// "start", "release", "sequence", "dependency" or "resource".
constexpr std::string_view to_string(delay_reason r) noexcept {
  constexpr std::string_view names[] = {"start", "release", "sequence", "dependency", "resource"};
  return names[static_cast<std::size_t>(r)];
}

/// One link of a critical chain: `activity` started at `start` because of
/// `reason`; `waited_on` is the activity it waited for (the predecessor, or
/// the one holding the resource), `resource` the pool for a resource wait.
template <class Real = double>
struct critical_link {
  std::size_t activity = no_activity;  ///< the activity
  Real start = 0;                      ///< its start
  delay_reason reason = delay_reason::start; ///< what set its start
  std::size_t waited_on = no_activity; ///< the activity it waited for, if any
  std::size_t resource = no_activity;  ///< the pool it waited for (resource only)
  /// Resource waits: hours it waited beyond what its predecessors and release
  /// allowed, less the part spent while the next link of the chain ran
  /// (so the waits of a chain add up to at most its length).
  Real waited = 0;
};

namespace detail {

// The activities holding each resource, by finish time (for resource waits).
template <class Real>
std::vector<std::vector<std::size_t>> activities_by_finish(const recovery_plan<Real>& plan) {
  const auto& p = plan.project.project();
  const auto& s = plan.schedule;
  std::vector<std::vector<std::size_t>> by_finish(p.resource_count());
  for (std::size_t x = 0; x < p.activity_count(); ++x)
    if (p.duration(x) > 0)
      for (const auto& d : p.demands(x)) by_finish[d.resource].push_back(x);
  for (auto& v : by_finish)
    std::sort(v.begin(), v.end(), [&](std::size_t x, std::size_t y) { return s.finish(x) < s.finish(y); });
  return by_finish;
}

template <class Real>
std::vector<critical_link<Real>>
critical_chain(const recovery_plan<Real>& plan, std::size_t a, Real tolerance,
               const std::vector<std::vector<std::size_t>>& by_finish) {
  const auto& p = plan.project.project();
  const auto& s = plan.schedule;
  const std::size_t n = p.activity_count();
  std::vector<critical_link<Real>> chain;
  std::vector<char> seen(n, 0);
  while (a != no_activity && !seen[a]) {
    seen[a] = 1;
    critical_link<Real> link;
    link.activity = a;
    link.start = s.start(a);
    Real bound = p.release_time(a);
    std::size_t tight = no_activity;
    for (const auto& q : p.predecessors(a)) {
      const Real t = s.start(q.activity) + q.delay;
      if (t > bound || (t == bound && tight == no_activity && t > 0)) {
        bound = t;
        tight = q.activity;
      }
    }
    std::size_t next = no_activity;
    if (link.start <= bound + tolerance) {
      if (tight != no_activity) {
        link.reason = plan.project.activity(tight).system == plan.project.activity(a).system
                          ? delay_reason::sequence
                          : delay_reason::dependency;
        link.waited_on = tight;
        next = tight;
      } else if (bound > 0) {
        link.reason = delay_reason::release;
      }
    } else {
      // Held back by a resource: an activity needing one of its pools ended at its start.
      link.reason = delay_reason::resource;
      link.waited = link.start - bound;
      for (const auto& d : p.demands(a)) {
        const auto& v = by_finish[d.resource];
        auto it = std::lower_bound(v.begin(), v.end(), link.start - tolerance,
                                   [&](std::size_t x, Real t) { return s.finish(x) < t; });
        if (it != v.end() && s.finish(*it) <= link.start + tolerance) {
          link.resource = d.resource;
          link.waited_on = *it;
          next = *it;
          break;
        }
      }
      // The chain goes on through the holder: count only the wait it does not cover.
      if (next != no_activity) link.waited = link.start - std::max(bound, s.start(next));
    }
    chain.push_back(link);
    a = next;
  }
  return chain;
}

} // namespace detail

/// The chain of activities that set the start of `a` in `plan`'s schedule,
/// from `a` back to an activity that nothing held back: at each step the
/// predecessor whose delay binds, else the release time, else the activity
/// whose end freed the resource it needed. O(n log n) to index the
/// resources, then O(chain × (degree + log n)).
template <class Real>
std::vector<critical_link<Real>> critical_chain(const recovery_plan<Real>& plan, std::size_t a,
                                                Real tolerance = Real(1e-9)) {
  return detail::critical_chain(plan, a, tolerance, detail::activities_by_finish(plan));
}

/// The kinds of gap.
enum class gap_kind : std::uint8_t {
  rto,                  ///< a function is back later than its RTO
  rpo,                  ///< a system loses more data than its inherited RPO allows
  mtpd,                 ///< RTO capability + data re-entry + WRT exceeds a function's MTPD
  workaround_exhausted, ///< a function's manual workaround ends before its systems carry it
  data_unrecoverable,   ///< a system's data are destroyed and no backup survives
  /// a step needs more people than the incident leaves (objective: people
  /// needed, achieved: people available); it runs with them, for longer
  staff_shortfall,
  /// a function's output falls short of its minimum capacity by time (MBCO;
  /// objective: the time by which `capacity` is needed, achieved: the time
  /// from which the output stays at least that)
  minimum_capacity,
  /// a notification duty of the scenario comes after its deadline
  /// (objective: the deadline, achieved: when the plan notifies, both in
  /// hours from the incident; no function or system)
  notification_late,
};

/// "rto", "rpo", "mtpd", "workaround_exhausted", "data_unrecoverable",
/// "staff_shortfall", "minimum_capacity" or "notification_late".
constexpr std::string_view to_string(gap_kind k) noexcept {
  constexpr std::string_view names[] = {"rto",
                                        "rpo",
                                        "mtpd",
                                        "workaround_exhausted",
                                        "data_unrecoverable",
                                        "staff_shortfall",
                                        "minimum_capacity",
                                        "notification_late"};
  return names[static_cast<std::size_t>(k)];
}

/// One shortfall of a plan against an objective.
template <class Real = double>
struct recovery_gap {
  gap_kind kind = gap_kind::rto; ///< which objective
  index_t function = no_index;   ///< the function concerned (or whose objective is broken)
  index_t system = no_index;     ///< the system that made it late, or lost the data
  Real objective = 0;            ///< the objective in hours
  Real achieved = 0;             ///< what the plan achieves in hours
  /// minimum_capacity gaps: the share of normal output needed (0 otherwise)
  Real capacity = 0;
  /// The chain behind the late system's return (time-based gaps only).
  std::vector<critical_link<Real>> chain;
  std::string cause;   ///< the chain in words: the largest resource wait, dependency, step
  std::string message; ///< one line: what, by how much, why
};

/// Per function: capability against objectives (rows of the gap report).
template <class Real = double>
struct function_capability {
  index_t function = no_index; ///< the function
  priority_class priority = priority_class::D; ///< its class
  bool down = false;           ///< stopped by the incident
  Real rto = 0;                ///< RTO objective (+inf: none)
  Real back_degraded = 0;      ///< recovery time capability (any capacity)
  Real back_full = 0;          ///< back at full capacity
  Real unconstrained_back = 0; ///< back if every system had the staff to itself
  Real mtpd = 0;               ///< MTPD (+inf: none)
  Real resumed = 0;            ///< capability + data re-entry + WRT
  Real rpo = 0;                ///< RPO objective (+inf: none)
  Real realised_rpo = 0;       ///< worst realised RPO of a system it needs (0: no loss)
};

/// The gap report of a plan.
template <class Real = double>
struct gap_report {
  std::vector<function_capability<Real>> functions; ///< every function
  std::vector<recovery_gap<Real>> gaps; ///< every breach, by function, then kind; then staff shortfalls and late notifications
};

namespace detail {

inline std::string percent_text(double share) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f %%", 100 * share);
  return buf;
}

inline std::string hours_text(double h) {
  if (std::isinf(h)) return "never";
  char buf[48];
  if (h >= 48)
    std::snprintf(buf, sizeof buf, "%.1f d", h / 24);
  else
    std::snprintf(buf, sizeof buf, "%.1f h", h);
  return buf;
}

template <class Real>
std::string describe_chain(const recovery_plan<Real>& plan,
                           const std::vector<critical_link<Real>>& chain) {
  const auto& rp = plan.project;
  const auto& p = rp.project();
  std::vector<Real> wait(p.resource_count(), Real(0));
  std::vector<std::size_t> example(p.resource_count(), no_activity);
  std::string deps, release;
  std::size_t longest = no_activity;
  for (const auto& l : chain) {
    const auto& act = rp.activity(l.activity);
    if (act.kind == recovery_activity_kind::step &&
        (longest == no_activity || p.duration(l.activity) > p.duration(longest)))
      longest = l.activity;
    if (l.reason == delay_reason::resource && l.resource != no_activity) {
      wait[l.resource] += l.waited;
      if (example[l.resource] == no_activity) example[l.resource] = l.activity;
    }
    if (l.reason == delay_reason::dependency && l.waited_on != no_activity) {
      const std::string name = "'" + std::string(rp.label(l.waited_on)) + "'";
      if (deps.find(name) == std::string::npos) deps += (deps.empty() ? "" : ", ") + name;
    }
    if (l.reason == delay_reason::release && release.empty())
      release = "cannot start before " + hours_text(static_cast<double>(l.start)) +
                " (detection or lead time)";
  }
  std::string out;
  std::size_t worst = no_activity;
  for (std::size_t r = 0; r < wait.size(); ++r)
    if (wait[r] > 0 && (worst == no_activity || wait[r] > wait[worst])) worst = r;
  if (worst != no_activity)
    out += "waits " + hours_text(static_cast<double>(wait[worst])) + " for '" +
           p.resource_name(worst) + "' (first at '" + rp.label(example[worst]) + "')";
  if (!deps.empty()) out += (out.empty() ? "" : "; ") + std::string("waits for ") + deps;
  if (longest != no_activity)
    out += (out.empty() ? "" : "; ") + std::string("longest step '") + rp.label(longest) +
           "' (" + hours_text(static_cast<double>(p.duration(longest))) + ")";
  if (!release.empty()) out += (out.empty() ? "" : "; ") + release;
  return out;
}

} // namespace detail

/// The gap report of `plan` for model `m`.
template <class Real>
gap_report<Real> find_gaps(const basic_model<Real>& m, const recovery_plan<Real>& plan) {
  constexpr Real inf = std::numeric_limits<Real>::infinity();
  gap_report<Real> report;
  const auto& rp = plan.project;
  const auto& out = plan.outcome;
  const auto& data = rp.situation().data;
  // Worst realised RPO per function: over every system it needs, directly or
  // through other systems (ties: the first system by name). Walks up from
  // each system that lost data to the functions that need it.
  const auto& g = m.graph();
  std::vector<Real> worst_rpo(m.function_count(), Real(0));
  std::vector<index_t> worst_rpo_system(m.function_count(), no_index);
  std::vector<index_t> stamp(std::size_t{g.system_count()} + g.function_count(), no_index);
  std::vector<index_t> queue;
  for (index_t s : m.systems_by_name()) {
    if (!data[s].data_destroyed || !(data[s].rpo > 0)) continue;
    queue.assign(1, s);
    stamp[s] = s;
    for (std::size_t q = 0; q < queue.size(); ++q) {
      const index_t v = queue[q];
      if (v >= g.system_count()) {
        const index_t f = v - g.system_count();
        if (data[s].rpo > worst_rpo[f]) {
          worst_rpo[f] = data[s].rpo;
          worst_rpo_system[f] = s;
        }
        continue;
      }
      for (index_t r : g.requirements_containing(v)) {
        const index_t owner = g.owner(r);
        if (stamp[owner] == s) continue;
        stamp[owner] = s;
        queue.push_back(owner);
      }
    }
  }
  const auto by_finish = detail::activities_by_finish(plan); // once for every breach
  auto chain_of = [&](index_t sys) {
    return detail::critical_chain(plan, rp.back_degraded(sys), Real(1e-9), by_finish);
  };
  for (index_t f = 0; f < m.function_count(); ++f) {
    const auto& fo = out.functions[f];
    function_capability<Real> row;
    row.function = f;
    row.priority = m.function_class(f);
    row.down = fo.down;
    row.rto = m.function_rto(f);
    row.mtpd = m.function_mtpd(f);
    row.rpo = m.function_rpo(f);
    row.back_degraded = fo.back_degraded;
    row.back_full = fo.back_full;
    row.resumed = fo.resumed;
    row.realised_rpo = worst_rpo[f];
    if (fo.down && fo.limited_by != no_index)
      row.unconstrained_back = out.systems[fo.limited_by].unconstrained_back;
    report.functions.push_back(row);
    const std::string& fname = m.function_at(f).name;
    auto add = [&](gap_kind k, index_t sys, Real objective, Real achieved, bool trace,
                   std::string what) {
      recovery_gap<Real> g;
      g.kind = k;
      g.function = f;
      g.system = sys;
      g.objective = objective;
      g.achieved = achieved;
      if (trace && sys != no_index && rp.back_degraded(sys) != no_activity) {
        g.chain = chain_of(sys);
        g.cause = detail::describe_chain(plan, g.chain);
      }
      g.message = "'" + fname + "': " + what;
      if (!g.cause.empty()) g.message += " — " + g.cause;
      report.gaps.push_back(std::move(g));
    };
    using detail::hours_text;
    if (fo.down && std::isfinite(row.rto) && fo.back_degraded > row.rto) {
      const index_t sys = fo.limited_by;
      std::string what = "back after " + hours_text(double(fo.back_degraded)) + ", RTO " +
                         hours_text(double(row.rto));
      if (sys != no_index) {
        what += "; waits for '" + m.system_at(sys).name + "'";
        if (row.unconstrained_back + Real(1e-9) < out.systems[sys].own_back)
          what += " (" + hours_text(double(row.unconstrained_back)) +
                  " if it had the staff to itself)";
      }
      add(gap_kind::rto, sys, row.rto, fo.back_degraded, true, what);
    }
    if (worst_rpo_system[f] != no_index && worst_rpo[f] > row.rpo) {
      const index_t sys = worst_rpo_system[f];
      if (std::isinf(worst_rpo[f]))
        add(gap_kind::data_unrecoverable, sys, row.rpo, inf, false,
            "the data of '" + m.system_at(sys).name + "' are destroyed and no backup survives");
      else
        add(gap_kind::rpo, sys, row.rpo, worst_rpo[f], false,
            "'" + m.system_at(sys).name + "' loses " + hours_text(double(worst_rpo[f])) +
                " of data, RPO " + hours_text(double(row.rpo)));
    }
    if (fo.down && std::isfinite(row.mtpd) && fo.resumed > row.mtpd) {
      add(gap_kind::mtpd, fo.limited_by, row.mtpd, fo.resumed, true,
          "normal work resumes after " + hours_text(double(fo.resumed)) +
              " (systems, data re-entry and WRT), MTPD " + hours_text(double(row.mtpd)));
    }
    if (fo.down && std::isfinite(fo.workaround_end)) {
      const auto& w = *m.function_at(f).workaround;
      const Real carried = fo.system_output.settled_at(w.capacity);
      if (carried > fo.workaround_end)
        add(gap_kind::workaround_exhausted, fo.limited_by, fo.workaround_end, carried, true,
            "manual workaround ends after " + hours_text(double(fo.workaround_end)) +
                ", but its systems give that output only after " + hours_text(double(carried)));
    }
    for (const auto& mc : m.function_at(f).minimum_capacity) {
      if (!fo.down) break;
      const Real from = fo.output.settled_at(mc.capacity);
      if (!(from > mc.by)) continue;
      const Real then = fo.output.at(mc.by);
      std::string what = "needs " + detail::percent_text(double(mc.capacity)) +
                         " of its output from " + hours_text(double(mc.by)) + " on; it has " +
                         detail::percent_text(double(then)) + " then";
      if (then >= mc.capacity) what += " but falls below later";
      what += std::isinf(from) ? ", and never keeps that much for good"
                               : ", and keeps that much for good only from " +
                                     hours_text(double(from)) + " on";
      add(gap_kind::minimum_capacity, fo.limited_by, mc.by, from, true, what);
      report.gaps.back().capacity = mc.capacity;
    }
  }
  for (const auto& sf : rp.shortfalls()) {
    recovery_gap<Real> g;
    g.kind = gap_kind::staff_shortfall;
    g.system = sf.system;
    g.objective = static_cast<Real>(sf.needed);
    g.achieved = static_cast<Real>(sf.available);
    const auto& pool = m.resources()[sf.resource];
    g.message = "'" + rp.label(sf.activity) + "' needs " + std::to_string(sf.needed) + " of '" +
                pool.name + "', but the incident leaves " + std::to_string(sf.available) +
                " of " + std::to_string(pool.capacity) + ": it runs with them, " +
                detail::hours_text(static_cast<double>(plan.project.project().duration(sf.activity))) +
                " instead of " +
                detail::hours_text(static_cast<double>(plan.project.project().duration(sf.activity)) *
                                   sf.available / sf.needed);
    report.gaps.push_back(std::move(g));
  }
  if (plan.project.situation().scenario != no_index) {
    const auto& sc = m.scenario_at(plan.project.situation().scenario);
    for (const auto& duty : sc.notifications) {
      if (!sc.is_late(duty)) continue;
      recovery_gap<Real> g;
      g.kind = gap_kind::notification_late;
      g.objective = sc.detected_at() + duty.due;
      g.achieved = duty.at;
      g.message = "'" + duty.name + "'" + (duty.to.empty() ? "" : " to " + duty.to) +
                  " is due " + detail::hours_text(static_cast<double>(duty.due)) +
                  " after detection (" + detail::hours_text(static_cast<double>(g.objective)) +
                  " after the incident), but the response plan gives it after " +
                  detail::hours_text(static_cast<double>(duty.at));
      report.gaps.push_back(std::move(g));
    }
  }
  return report;
}

} // namespace continuity

#include <continuity/detail/gcc12_restrict_pop.hpp>
