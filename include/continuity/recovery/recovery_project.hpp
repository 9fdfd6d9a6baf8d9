// continuity/recovery/recovery_project.hpp — the recovery of a model after an
// incident as a resource-constrained project: one activity per step of every
// damaged system's procedure (emergency phase, then permanent phase), one per
// data re-entry, and zero-length milestones for "system back at degraded
// capacity" and "system back at full capacity".
//
// Precedences: each step waits for the steps its procedure names (by default
// the one before it); steps whose kind waits_for_dependencies() wait until
// the systems their system depends on are back; the permanent phase starts
// once the system is back; data re-entry starts once it is back. A system
// only taken down by its dependencies needs no work: its milestone waits for
// them. For an any-of or k-of-n requirement only as many candidates as are
// missing are waited for — the ones expected back first without resource
// limits (ties: lower system index). The members of a strongly connected
// group share one milestone (they come back together). Emergency steps are
// released at the scenario's detection time; people pools shrink to
// floor(capacity × staff availability).
#pragma once

#include <continuity/analysis/backup_exposure.hpp>
#include <continuity/analysis/impact.hpp>
#include <continuity/error.hpp>
#include <continuity/model/model.hpp>
#include <continuity/recovery/default_procedure.hpp>
#include <continuity/recovery/detail/procedure_plans.hpp>
#include <continuity/recovery/ransom_outcome.hpp>
#include <continuity/scheduling/project.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <continuity/detail/gcc12_restrict_push.hpp>

namespace continuity {

/// Marks "no such activity".
inline constexpr std::size_t no_activity = ~std::size_t(0);

/// What an activity of a recovery project stands for.
enum class recovery_activity_kind : std::uint8_t {
  step,          ///< a step of the system's recovery procedure
  data_reentry,  ///< re-entering the data lost since the newest surviving backup
  back_degraded, ///< milestone: the system runs again (emergency capacity)
  back_full,     ///< milestone: the system runs at full capacity (permanent phase done)
};

/// One activity of a recovery project.
struct recovery_activity {
  index_t system = no_index;                                 ///< the system it belongs to
  recovery_activity_kind kind = recovery_activity_kind::step; ///< what it is
  recovery_phase phase = recovery_phase::emergency;           ///< phase (steps and milestones)
  step_kind step = step_kind::other;                          ///< step kind (data_reentry for re-entry)
  std::uint32_t index = 0; ///< position of the step in its phase's list (steps only)
};

/// What an incident leaves to recover: the systems it damaged directly, the
/// data they lost, when recovery can start and how many staff are there.
template <class Real = double>
struct recovery_situation {
  index_t scenario = no_index;        ///< the scenario it comes from, if any
  std::vector<index_t> damaged;       ///< systems damaged directly, ascending, unique
  std::vector<data_loss<Real>> data;  ///< data loss of every system (one entry per system)
  Real detection_time = 0;            ///< hours until recovery can start
  /// Fraction of each in-house people pool available, in (0, 1]: a pool of
  /// c people keeps max(1, round(c × availability)) of them (the expected
  /// head count, never rounded down to nobody); external pools and
  /// equipment keep their capacity.
  Real staff_availability = 1;
  /// Units of each resource pool available during the incident, in the
  /// model's order of resources() (each from 1 to the pool's capacity); empty:
  /// derived from staff_availability as above. situation_of() fills it from
  /// the scenario's availabilities (expected head counts); the simulation
  /// draws it person by person.
  std::vector<int> pool_capacity{};
  /// Hours from the incident before which each system's emergency work
  /// cannot start, beyond detection_time (one entry per system; empty:
  /// none). A ransom key's arrival and decryption set it for the systems
  /// it decrypts.
  std::vector<Real> release{};
  /// What the scenario's ransom policy gave, if it has ransom terms.
  std::optional<ransom_outcome<Real>> ransom{};
};

/// A step that needs more people of a pool than the incident leaves: it
/// runs with those available, for longer (the same work: duration ×
/// needed / available), and the gap report says so.
struct staff_shortfall {
  index_t system = no_index;                        ///< the system
  recovery_phase phase = recovery_phase::emergency; ///< its phase
  std::size_t activity = 0;                         ///< the activity of the step (or data re-entry)
  std::size_t resource = 0;                         ///< the pool (model's resource index)
  int needed = 0;                                   ///< people the step asks for
  int available = 0;                                ///< people the incident leaves
};

/// People of a pool of `capacity` left by `availability` (see
/// recovery_situation::staff_availability).
inline int people_available(int capacity, double availability) noexcept {
  if (capacity <= 0 || availability >= 1) return capacity;
  const auto kept = static_cast<int>(std::lround(static_cast<double>(capacity) * availability));
  return std::clamp(kept, 1, capacity);
}

/// Applies ransom outcome `ro` to situation `sit`: with a working key, every
/// damaged system whose data the incident destroyed gets them back whole
/// (data_loss::decrypted), and its emergency work waits for the key's
/// arrival and `decryption(s)` hours of decryption.
template <class Real, class Decryption>
void apply_ransom(recovery_situation<Real>& sit, const ransom_outcome<Real>& ro,
                  Decryption&& decryption) {
  sit.ransom = ro;
  if (!ro.paid || !ro.key_works) return;
  for (index_t s : sit.damaged) {
    if (!sit.data[s].data_destroyed) continue;
    sit.data[s] = data_loss<Real>{};
    sit.data[s].decrypted = true;
    if (sit.release.empty()) sit.release.assign(sit.data.size(), Real(0));
    sit.release[s] = ro.key_arrival + static_cast<Real>(decryption(s));
  }
}

/// The situation scenario `i` of `m` leaves (its damage and realised data
/// loss, and its ransom policy's outcome at point values).
template <class Real>
recovery_situation<Real> situation_of(const basic_model<Real>& m, index_t i) {
  recovery_situation<Real> s;
  const auto& sc = m.scenario_at(i);
  s.scenario = i;
  const auto d = m.damaged_systems(i);
  s.damaged.assign(d.begin(), d.end());
  s.data = realised_data_loss(m, i);
  s.detection_time = sc.recovery_start_time();
  s.staff_availability = sc.staff_availability;
  const auto pools = m.resources();
  s.pool_capacity.resize(pools.size());
  for (std::size_t r = 0; r < pools.size(); ++r)
    s.pool_capacity[r] = people_available(
        pools[r].capacity, static_cast<double>(m.pool_availability(i, static_cast<index_t>(r))));
  if (sc.ransom) {
    const Real decryption = sc.ransom->decryption.mean();
    apply_ransom(s, point_ransom_outcome(*sc.ransom), [&](index_t) { return decryption; });
  }
  return s;
}

/// Step durations at their point values: a fixed duration, or the mean of a
/// distribution. The default of build_recovery_project.
struct point_durations {
  /// The mean of the step's duration distribution `d`.
  template <class Real>
  Real operator()(index_t /*system*/, recovery_phase /*phase*/, std::size_t /*step*/,
                  const distribution<Real>& d) const {
    return d.mean();
  }
};

template <class Real, class Durations>
class recovery_project_builder;
template <class Real>
class recovery_project;

namespace detail {
template <class Real>
struct recovery_build_scratch;
template <class Real, class Durations>
void rebuild_recovery_project(const basic_model<Real>& m, const procedure_plans<Real>& plans,
                              recovery_situation<Real>& sit, Durations& durations,
                              recovery_build_scratch<Real>& scratch, recovery_project<Real>& out,
                              bool labelled);
} // namespace detail

/// The recovery of one situation of a model as a validated project, with
/// the meaning of every activity. Build it with build_recovery_project.
template <class Real = double>
class recovery_project {
public:
  /// The scheduling problem. Resource r is the model's resource pool r.
  const basic_project<Real>& project() const noexcept { return project_; }
  /// What each activity stands for.
  std::span<const recovery_activity> activities() const noexcept { return activity_; }
  /// Activity a.
  const recovery_activity& activity(std::size_t a) const noexcept { return activity_[a]; }
  /// The situation it recovers from.
  const recovery_situation<Real>& situation() const noexcept { return situation_; }
  /// The impact of the situation: which systems and functions are down.
  const impact_result& impact() const noexcept { return impact_; }

  /// True if system s was damaged directly (it has recovery work).
  bool is_damaged(index_t s) const noexcept { return damaged_[s] != 0; }
  /// True if system s is down after the incident.
  bool is_down(index_t s) const noexcept { return impact_.system_down[s] != 0; }
  /// The procedure used for damaged system s (its own, or the default).
  /// (Every project of build_recovery_project has it; the projects a
  /// simulation rebuilds for itself keep no procedures.)
  const recovery_procedure<Real>& procedure(index_t s) const noexcept {
    return procedure_[procedure_slot_[s]];
  }
  /// True if damaged system s follows the default procedure.
  bool uses_default_procedure(index_t s) const noexcept { return default_[s] != 0; }

  /// Milestone "s back at degraded capacity" (shared by a strongly
  /// connected group), or no_activity if s is not down.
  std::size_t back_degraded(index_t s) const noexcept { return back_degraded_[s]; }
  /// Milestone "s back at full capacity" (= back_degraded without a
  /// permanent phase), or no_activity if s is not down.
  std::size_t back_full(index_t s) const noexcept { return back_full_[s]; }
  /// The activity whose start takes s down again for the switch-back (its
  /// first planned stop, else its switch-back), or no_activity.
  std::size_t stop_begins(index_t s) const noexcept { return stop_begin_[s]; }
  /// The activity whose finish ends that stop (the switch-back, else the
  /// full-capacity milestone), or no_activity.
  std::size_t stop_ends(index_t s) const noexcept { return stop_end_[s]; }
  /// The data re-entry activity of s, or no_activity if it lost no data to re-enter.
  std::size_t data_reentry(index_t s) const noexcept { return reentry_[s]; }
  /// Records of s lost and re-entered.
  Real lost_records(index_t s) const noexcept { return lost_records_[s]; }
  /// Staff hours of re-entry work for s.
  Real reentry_hours(index_t s) const noexcept { return reentry_hours_[s]; }
  /// Systems whose return s waits for (outside its own group).
  std::span<const index_t> waits_for(index_t s) const noexcept {
    return {waits_.data() + waits_offset_[s], waits_.data() + waits_offset_[s + 1]};
  }
  /// The emergency capacity s gives between its two phases (1 without a permanent phase).
  Real emergency_capacity(index_t s) const noexcept { return capacity_[s]; }
  /// Capacity of each resource pool after staff availability.
  std::span<const int> capacities() const noexcept { return project_.capacities(); }
  /// Steps that run with fewer people than they need (staff shortage).
  std::span<const staff_shortfall> shortfalls() const noexcept { return shortfalls_; }

  /// "system: step" for messages and timelines (empty in the projects a
  /// simulation rebuilds for itself, which report nothing).
  const std::string& label(std::size_t a) const noexcept { return project_.activity_name(a); }

private:
  template <class R, class D>
  friend class recovery_project_builder;
  template <class R, class D>
  friend void detail::rebuild_recovery_project(const basic_model<R>&,
                                               const detail::procedure_plans<R>&,
                                               recovery_situation<R>&, D&,
                                               detail::recovery_build_scratch<R>&,
                                               recovery_project<R>&, bool);

  basic_project<Real> project_;
  std::vector<recovery_activity> activity_;
  recovery_situation<Real> situation_;
  impact_result impact_;
  std::vector<std::uint8_t> damaged_, default_;
  std::vector<recovery_procedure<Real>> procedure_;
  std::vector<std::size_t> procedure_slot_;
  std::vector<std::size_t> back_degraded_, back_full_, stop_begin_, stop_end_, reentry_;
  std::vector<Real> lost_records_, reentry_hours_, capacity_;
  std::vector<std::size_t> waits_offset_;
  std::vector<index_t> waits_;
  std::vector<staff_shortfall> shortfalls_;
};

namespace detail {

/// Working memory of recovery_project_builder, kept between projects.
template <class Real>
struct recovery_build_scratch {
  basic_project_builder<Real> builder;
  impact_scratch impact;
  std::vector<int> capacities;                  // of the project's pools
  std::vector<Real> durations, est_finish;      // by activity
  std::vector<Real> estimate;                   // by system: back without resource limits
  std::vector<index_t> waits;                   // every system's waits, one after the other
  std::vector<std::size_t> waits_begin, waits_end; // by system, in waits
  std::vector<std::size_t> emergency_first;     // by system: its first emergency activity
  std::vector<index_t> down, pending_permanent;
};

} // namespace detail

/// Builds the project; see build_recovery_project.
template <class Real, class Durations>
class recovery_project_builder {
public:
  /// A builder writing into `out` (whose situation is set) with the
  /// procedures of `plans` (prepared for every damaged system) and the
  /// working memory `scratch`; with `labelled` false, the activities get no
  /// labels and out.procedure() is left empty (the simulation's projects).
  recovery_project_builder(const basic_model<Real>& m, const detail::procedure_plans<Real>& plans,
                           detail::recovery_build_scratch<Real>& scratch, recovery_project<Real>& out,
                           Durations& durations, bool labelled)
      : m_(m), plans_(plans), x_(scratch), out_(out), dur_(durations), labelled_(labelled) {}

  void build() {
    const auto& sit = out_.situation_;
    const index_t ns = m_.system_count();
    if (sit.data.size() != ns)
      throw value_error("recovery situation", {}, "data",
                        "needs one data-loss entry per system: expected " + std::to_string(ns) +
                            ", got " + std::to_string(sit.data.size()));
    if (!sit.release.empty() && sit.release.size() != ns)
      throw value_error("recovery situation", {}, "release",
                        "needs one release time per system (or none): expected " +
                            std::to_string(ns) + ", got " + std::to_string(sit.release.size()));
    for (const Real r : sit.release)
      if (!(r >= 0) || !std::isfinite(r))
        throw value_error("recovery situation", {}, "release",
                          "release times must be finite and non-negative hours");
    if (!(sit.staff_availability > 0 && sit.staff_availability <= 1))
      throw value_error("recovery situation", {}, "staff_availability",
                        "must be a fraction in (0, 1]");
    if (!(sit.detection_time >= 0) || !std::isfinite(sit.detection_time))
      throw value_error("recovery situation", {}, "detection_time",
                        "must be a finite non-negative number of hours");
    out_.damaged_.assign(ns, 0);
    for (index_t s : sit.damaged) {
      if (s >= ns)
        throw reference_error("recovery situation", {}, "damaged",
                              "no system with index " + std::to_string(s));
      out_.damaged_[s] = 1;
    }
    propagate_impact(m_.graph(), sit.damaged, out_.impact_, x_.impact);
    const auto pools = m_.resources();
    if (!sit.pool_capacity.empty() && sit.pool_capacity.size() != pools.size())
      throw value_error("recovery situation", {}, "pool_capacity",
                        "needs one entry per resource pool: expected " +
                            std::to_string(pools.size()) + ", got " +
                            std::to_string(sit.pool_capacity.size()));
    // The pools of the last project are kept (their names are not copied again).
    bool same_pools = x_.builder.resource_count() == pools.size();
    for (std::size_t r = 0; same_pools && r < pools.size(); ++r)
      same_pools = x_.builder.resource_name(r) == pools[r].name;
    if (same_pools)
      x_.builder.clear_activities();
    else
      x_.builder.clear();
    x_.capacities.clear();
    x_.durations.clear();
    x_.est_finish.clear();
    for (std::size_t r = 0; r < pools.size(); ++r) {
      const auto& pool = pools[r];
      int cap = pool.kind == resource_kind::people && !pool.external
                    ? people_available(pool.capacity, static_cast<double>(sit.staff_availability))
                    : pool.capacity;
      if (!sit.pool_capacity.empty()) {
        cap = sit.pool_capacity[r];
        if (cap > pool.capacity || (cap < 1 && pool.capacity > 0))
          throw value_error("recovery situation", {}, "pool_capacity[" + std::to_string(r) + "]",
                            "'" + pool.name + "' has " + std::to_string(pool.capacity) +
                                ", so between 1 and that many can be available, not " +
                                std::to_string(cap));
      }
      x_.capacities.push_back(cap);
      if (same_pools)
        x_.builder.set_capacity(r, cap);
      else
        x_.builder.add_resource(pool.name, cap);
    }
    const auto none = no_activity;
    out_.activity_.clear();
    out_.procedure_.clear();
    out_.shortfalls_.clear();
    out_.waits_.clear();
    out_.default_.assign(ns, 0);
    out_.procedure_slot_.assign(ns, none);
    out_.back_degraded_.assign(ns, none);
    out_.back_full_.assign(ns, none);
    out_.stop_begin_.assign(ns, none);
    out_.stop_end_.assign(ns, none);
    out_.reentry_.assign(ns, none);
    out_.lost_records_.assign(ns, Real(0));
    out_.reentry_hours_.assign(ns, Real(0));
    out_.capacity_.assign(ns, Real(1));
    out_.waits_offset_.assign(ns + 1, 0);
    x_.estimate.assign(ns, Real(0));
    x_.waits.clear();
    x_.waits_begin.assign(ns, 0);
    x_.waits_end.assign(ns, 0);
    x_.emergency_first.assign(ns, none);
    x_.pending_permanent.clear();

    const auto& g = m_.graph();
    const auto order = m_.dependency_order_by_name();
    for (std::size_t i = 0; i < order.size();) {
      const index_t c = g.component_of(order[i]);
      const auto members = order.subspan(i, g.component_members(c).size());
      i += members.size();
      bool any_down = false;
      for (index_t s : members) any_down |= out_.is_down(s);
      if (any_down) add_component(c, members);
    }
    for (index_t s = 0; s < ns; ++s) {
      const auto w = waits(s);
      out_.waits_offset_[s + 1] = out_.waits_offset_[s] + w.size();
      out_.waits_.insert(out_.waits_.end(), w.begin(), w.end());
    }
    x_.builder.build_into(out_.project_);
  }

private:
  // Adds an activity; `label()` gives its label (asked only if labelled).
  template <class Label>
  std::size_t add(Real duration, recovery_activity what, Label&& label) {
    const std::size_t a = labelled_ ? x_.builder.add_activity(duration, label())
                                    : x_.builder.add_activity(duration);
    x_.durations.push_back(duration);
    out_.activity_.push_back(what);
    x_.est_finish.push_back(Real(0));
    return a;
  }

  std::span<const index_t> waits(index_t s) const noexcept {
    return {x_.waits.data() + x_.waits_begin[s], x_.waits_end[s] - x_.waits_begin[s]};
  }

  // Candidates chosen for the broken requirements of s, outside component c.
  void choose_waits(index_t s, index_t c) {
    const auto& g = m_.graph();
    auto& waits = x_.waits;
    const std::size_t begin = waits.size();
    auto& down = x_.down;
    const auto [first, last] = g.requirements_of(s);
    for (index_t r = first; r < last; ++r) {
      const auto mem = g.members(r);
      std::size_t up = 0;
      down.clear();
      for (index_t x : mem) {
        if (!out_.is_down(x))
          ++up;
        else if (g.component_of(x) != c)
          down.push_back(x);
      }
      if (up >= g.needed(r)) continue;
      std::size_t missing = g.needed(r) - up;
      if (missing < down.size()) {
        std::stable_sort(down.begin(), down.end(), [&](index_t x, index_t y) {
          return x_.estimate[x] != x_.estimate[y] ? x_.estimate[x] < x_.estimate[y]
                                                  : m_.system_rank(x) < m_.system_rank(y);
        });
        down.resize(missing);
      }
      waits.insert(waits.end(), down.begin(), down.end());
    }
    // In name order, each once (a system chosen for two requirements is
    // waited for once; ranks are unique, so equal systems end up side by side).
    const auto first_wait = waits.begin() + static_cast<std::ptrdiff_t>(begin);
    std::sort(first_wait, waits.end(),
              [&](index_t x, index_t y) { return m_.system_rank(x) < m_.system_rank(y); });
    waits.erase(std::unique(first_wait, waits.end()), waits.end());
    x_.waits_begin[s] = begin;
    x_.waits_end[s] = waits.size();
  }

  Real waits_estimate(index_t s) const {
    Real t = 0;
    for (index_t x : waits(s)) t = std::max(t, x_.estimate[x]);
    return t;
  }

  void link_waits(index_t s, std::size_t a) {
    for (index_t x : waits(s)) x_.builder.add_finish_to_start(out_.back_degraded_[x], a);
  }

  std::string step_field(index_t s, recovery_phase ph, std::size_t k,
                         const recovery_step<Real>& st) const {
    std::string f = "system '" + m_.system_at(s).name + "': recovery.";
    f += to_string(ph);
    f += "[" + std::to_string(k) + "] ('" + st.name + "')";
    return f;
  }

  // The activity of the step at `position` of s's procedure (its emergency
  // steps first), once added.
  std::size_t step_activity(index_t s, const detail::procedure_plan<Real>& proc,
                            std::size_t position) const noexcept {
    return position < proc.emergency ? x_.emergency_first[s] + position
                                     : permanent_first_ + (position - proc.emergency);
  }

  // Adds the steps of one phase of s's procedure (the emergency steps are
  // the first proc.emergency of `steps`); returns the activity of the
  // first (the others follow it).
  std::size_t add_phase(index_t s, recovery_phase ph, const detail::procedure_plan<Real>& proc,
                        std::size_t phase_start) {
    const auto& sys = m_.system_at(s);
    const auto& sit = out_.situation_;
    const bool emergency = ph == recovery_phase::emergency;
    const auto all = plans_.steps(proc);
    const auto steps = emergency ? all.first(proc.emergency) : all.subspan(proc.emergency);
    const std::size_t first = x_.builder.activity_count();
    const auto& loss = sit.data[s];
    const bool no_backup = loss.data_destroyed && loss.backup == no_index;
    std::array<Real, default_step_count> default_hours{};
    if (proc.is_default) default_hours = default_step_durations(sys, loss);
    for (std::size_t k = 0; k < steps.size(); ++k) {
      const auto& plan = steps[k];
      const auto& st = *plan.step;
      const Real d = static_cast<Real>(
          proc.is_default ? dur_(s, ph, k, distribution<Real>(default_hours[k]))
          : no_backup && st.duration_without_backup
              ? dur_(s, ph, k, *st.duration_without_backup)
              : dur_(s, ph, k, st.duration));
      if (!(d >= 0) || !std::isfinite(d))
        throw value_error("system", sys.name,
                          "recovery." + std::string(to_string(ph)) + "[" + std::to_string(k) +
                              "].duration",
                          "a sampled duration must be finite and non-negative, got " +
                              std::to_string(static_cast<double>(d)));
      // A step needing more people than the incident leaves runs with those
      // there are, for longer (the same work), and is reported.
      const auto needs = plans_.needs(plan);
      Real stretch = 1;
      for (const auto& dm : needs) {
        const int cap = x_.capacities[dm.resource];
        if (dm.units > cap && cap > 0)
          stretch = std::max(stretch, static_cast<Real>(dm.units) / static_cast<Real>(cap));
      }
      const std::size_t a =
          add(d * stretch, {s, recovery_activity_kind::step, ph, st.kind, static_cast<std::uint32_t>(k)},
              [&] { return sys.name + ": " + st.name; });
      Real es = 0;
      if (emergency) {
        es = sit.release.empty() ? sit.detection_time
                                 : std::max(sit.detection_time, sit.release[s]);
        x_.builder.set_release_time(a, es);
      }
      for (const auto& dm : needs) {
        const index_t r = dm.resource;
        const int cap = x_.capacities[r];
        if (cap <= 0) // the model's validation rules this out
          throw scheduling_error(step_field(s, ph, k, st) + " needs '" + m_.resources()[r].name +
                                 "', which has no capacity");
        if (dm.units > cap) out_.shortfalls_.push_back({s, ph, a, r, dm.units, cap});
        x_.builder.set_demand(a, r, std::min(dm.units, cap));
      }
      const auto after = plans_.waits(plan);
      if (after.empty()) {
        const std::size_t prev = k > 0 ? a - 1 : phase_start;
        if (prev != no_activity) {
          x_.builder.add_finish_to_start(prev, a);
          es = std::max(es, x_.est_finish[prev]);
        }
      }
      for (const auto& l : after) {
        const std::size_t p = step_activity(s, proc, l.position);
        if (l.start_to_start) {
          x_.builder.add_start_to_start(p, a, l.lag);
          es = std::max(es, x_.est_finish[p] - x_.durations[p] + l.lag);
        } else {
          x_.builder.add_finish_to_start(p, a, l.lag);
          es = std::max(es, x_.est_finish[p] + l.lag);
        }
      }
      if (waits_for_dependencies(st.kind)) {
        link_waits(s, a);
        es = std::max(es, waits_estimate(s));
      }
      x_.est_finish[a] = es + d;
    }
    return first;
  }

  // Adds the damaged member s's procedure; returns the end of its emergency phase.
  Real add_damaged(index_t s, std::size_t milestone) {
    const auto& proc = plans_.of(s);
    if (labelled_) {
      out_.procedure_slot_[s] = out_.procedure_.size();
      if (proc.is_default)
        out_.procedure_.push_back(default_procedure(m_, s, out_.situation_.data[s]));
      else
        out_.procedure_.push_back(*m_.system_at(s).recovery);
    }
    if (proc.is_default) out_.default_[s] = 1;
    x_.emergency_first[s] = x_.builder.activity_count();
    const std::size_t em = add_phase(s, recovery_phase::emergency, proc, no_activity);
    Real end = 0;
    for (std::size_t a = em; a < em + proc.emergency; ++a) {
      x_.builder.add_finish_to_start(a, milestone);
      end = std::max(end, x_.est_finish[a]);
    }
    x_.pending_permanent.push_back(s);
    return end;
  }

  void add_permanent(index_t s) {
    const auto& sys = m_.system_at(s);
    const auto& proc = plans_.of(s);
    const std::size_t back = out_.back_degraded_[s];
    if (proc.permanent > 0) {
      out_.capacity_[s] = proc.emergency_capacity;
      permanent_first_ = x_.builder.activity_count();
      const std::size_t pm = add_phase(s, recovery_phase::permanent, proc, back);
      const std::size_t pm_end = pm + proc.permanent;
      // A permanent step with explicit links still starts after the system is back.
      for (std::size_t a = pm; a < pm_end; ++a) x_.builder.add_finish_to_start(back, a);
      const std::size_t full = add(Real(0),
                                   {s, recovery_activity_kind::back_full, recovery_phase::permanent,
                                    step_kind::other, 0},
                                   [&] { return sys.name + ": back at full capacity"; });
      for (std::size_t a = pm; a < pm_end; ++a) x_.builder.add_finish_to_start(a, full);
      out_.back_full_[s] = full;
      std::size_t stop = no_activity, sw = no_activity;
      for (std::size_t a = pm; a < pm_end; ++a) {
        const step_kind kind = out_.activity_[a].step;
        if (kind == step_kind::planned_stop && stop == no_activity) stop = a;
        if (kind == step_kind::switch_back && sw == no_activity) sw = a;
      }
      if (stop == no_activity) stop = sw;
      if (stop != no_activity) {
        out_.stop_begin_[s] = stop;
        out_.stop_end_[s] = sw != no_activity ? sw : full;
      }
    } else {
      out_.back_full_[s] = back;
    }
    add_reentry(s);
  }

  void add_reentry(index_t s) {
    const auto& sys = m_.system_at(s);
    const auto& loss = out_.situation_.data[s];
    if (!loss.data_destroyed || !std::isfinite(loss.rpo) || loss.rpo <= 0) return;
    const Real records = loss.rpo * sys.transactions_per_hour;
    const Real hours = records * sys.reentry_hours_per_transaction;
    out_.lost_records_[s] = records;
    if (!(hours > 0)) return;
    out_.reentry_hours_[s] = hours;
    // Fewer people than reentry_staff left by the incident: they take longer.
    int staff = sys.reentry_staff;
    const index_t pool = plans_.reentry_pool(s);
    if (pool != no_index) staff = std::max(1, std::min(staff, x_.capacities[pool]));
    const std::size_t a = add(hours / static_cast<Real>(staff),
                              {s, recovery_activity_kind::data_reentry, recovery_phase::emergency,
                               step_kind::data_reentry, 0},
                              [&] { return sys.name + ": data re-entry"; });
    x_.builder.add_finish_to_start(out_.back_degraded_[s], a);
    if (pool != no_index) {
      if (staff < sys.reentry_staff)
        out_.shortfalls_.push_back(
            {s, recovery_phase::emergency, a, pool, sys.reentry_staff, staff});
      x_.builder.set_demand(a, pool, staff);
    }
    out_.reentry_[s] = a;
  }

  void add_component(index_t c, std::span<const index_t> members) {
    for (index_t s : members)
      if (out_.is_down(s)) choose_waits(s, c);
    const std::size_t milestone =
        add(Real(0),
            {members.front(), recovery_activity_kind::back_degraded, recovery_phase::emergency,
             step_kind::other, 0},
            [&] {
              const auto& first = m_.system_at(members.front());
              return members.size() == 1 ? first.name + ": back"
                                         : first.name + " and its group: back";
            });
    for (index_t s : members)
      if (out_.is_down(s)) out_.back_degraded_[s] = milestone;
    Real est = 0;
    for (index_t s : members) {
      if (!out_.is_down(s)) continue;
      if (out_.is_damaged(s)) {
        est = std::max(est, add_damaged(s, milestone));
      } else {
        link_waits(s, milestone);
        est = std::max(est, waits_estimate(s));
      }
    }
    x_.est_finish[milestone] = est;
    for (index_t s : members)
      if (out_.is_down(s)) x_.estimate[s] = est;
    for (index_t s : x_.pending_permanent) add_permanent(s);
    x_.pending_permanent.clear();
  }

  const basic_model<Real>& m_;
  const detail::procedure_plans<Real>& plans_;
  detail::recovery_build_scratch<Real>& x_;
  recovery_project<Real>& out_;
  Durations& dur_;
  bool labelled_;
  std::size_t permanent_first_ = 0; // first activity of the permanent phase being added
};

namespace detail {

/// Rebuilds `out` as the recovery project of situation `sit` (swapped in:
/// `sit` gets the situation `out` had, to refill) with the procedures of
/// `plans` (prepared for every damaged system) and step durations from
/// `durations` (see build_recovery_project), reusing the memory of `out`
/// and `scratch`. Throws as build_recovery_project; `out` is then left
/// valid but unspecified. With `labelled` false the activities get no
/// labels and out.procedure() is left empty: for a simulation, which
/// reports neither.
template <class Real, class Durations>
void rebuild_recovery_project(const basic_model<Real>& m, const procedure_plans<Real>& plans,
                              recovery_situation<Real>& sit, Durations& durations,
                              recovery_build_scratch<Real>& scratch, recovery_project<Real>& out,
                              bool labelled) {
  using std::swap;
  swap(out.situation_, sit);
  recovery_project_builder<Real, Durations>(m, plans, scratch, out, durations, labelled).build();
}

} // namespace detail

/// The recovery project of situation `sit` of model `m`, with step durations
/// from `durations(system, phase, step index, distribution)` — the step's
/// duration, or its duration_without_backup when the system's data are
/// destroyed with no surviving backup — (point values by
/// default; a Monte Carlo trial passes sampled ones). Throws value_error for
/// a malformed situation or a negative sampled duration (never for a
/// situation of a valid model). A step that needs more people than the
/// situation leaves runs with those there are, for longer, and is listed in
/// shortfalls().
template <class Real, class Durations = point_durations>
recovery_project<Real> build_recovery_project(const basic_model<Real>& m,
                                              recovery_situation<Real> sit,
                                              Durations durations = {}) {
  detail::procedure_plans<Real> plans(m);
  for (index_t s : sit.damaged)
    if (s < m.system_count()) plans.prepare(s);
  detail::recovery_build_scratch<Real> scratch;
  recovery_project<Real> out;
  detail::rebuild_recovery_project(m, plans, sit, durations, scratch, out, true);
  return out;
}

/// The recovery project of scenario `i` of `m` at point durations.
template <class Real>
recovery_project<Real> build_recovery_project(const basic_model<Real>& m, index_t i) {
  return build_recovery_project(m, situation_of(m, i));
}

} // namespace continuity

#include <continuity/detail/gcc12_restrict_pop.hpp>
