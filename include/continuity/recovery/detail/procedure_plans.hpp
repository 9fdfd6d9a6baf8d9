// continuity/recovery/detail/procedure_plans.hpp — the recovery procedures of
// a model's systems with every name resolved once: each step's resource
// demands by pool index and the steps it waits for by position, so that a
// recovery project can be built without looking up a name (once per
// simulated incident). Unstable internals: use recovery_project.hpp instead.
#pragma once

#include <continuity/model/model.hpp>
#include <continuity/recovery/default_procedure.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace continuity::detail {

/// A step's demand on a resource pool (the model's resource index).
struct step_need {
  index_t resource = no_index; ///< the pool
  int units = 1;               ///< units held while the step runs
};

/// A step's wait for an earlier step of its procedure, by position: the
/// emergency steps are 0 … E − 1, the permanent steps E, E + 1, ….
template <class Real>
struct step_wait {
  std::size_t position = 0;    ///< the earlier step
  bool start_to_start = false; ///< from its start, not its finish
  Real lag = 0;                ///< hours in between
};

/// One step with its names resolved.
template <class Real>
struct step_plan {
  const recovery_step<Real>* step = nullptr; ///< the step (name, kind, durations)
  std::size_t needs_begin = 0, needs_end = 0; ///< its demands in procedure_plans::needs
  std::size_t waits_begin = 0, waits_end = 0; ///< its waits in procedure_plans::waits
};

/// One procedure: its steps in procedure_plans::steps from `first`,
/// emergency then permanent.
template <class Real>
struct procedure_plan {
  std::size_t first = 0;          ///< first step
  std::size_t emergency = 0;      ///< emergency steps
  std::size_t permanent = 0;      ///< permanent steps
  Real emergency_capacity = 1;    ///< capacity between the phases
  bool is_default = false;        ///< the default procedure (durations by default_step_durations)
};

/// The procedures of the systems of a model, resolved: a system's own, or
/// the default procedure, whose shape (steps, demands, waits) is the same
/// for every system and whose durations default_step_durations gives per
/// incident. Systems are prepared one by one (prepare) or all at once
/// (prepare_all); a prepared set is read-only and can be shared by threads.
/// Keeps the model by reference; not copyable (its steps point into it).
template <class Real>
class procedure_plans {
public:
  /// Plans for `m`; no system prepared yet.
  explicit procedure_plans(const basic_model<Real>& m)
      : m_(m), slot_(m.system_count(), unprepared), reentry_pool_(m.system_count(), no_index) {
    if (m.system_count() > 0) {
      default_shape_ = default_procedure(m, index_t{0}, data_loss<Real>{});
      default_ = add(default_shape_);
      default_.is_default = true;
    }
  }
  procedure_plans(const procedure_plans&) = delete;
  procedure_plans& operator=(const procedure_plans&) = delete;

  /// Resolves system s's procedure and its data re-entry pool (once).
  void prepare(index_t s) {
    if (slot_[s] != unprepared) return;
    const auto& sys = m_.system_at(s);
    if (!sys.reentry_by.empty()) reentry_pool_[s] = *m_.find_resource(sys.reentry_by);
    if (sys.recovery) {
      slot_[s] = own_.size();
      own_.push_back(add(*sys.recovery));
    } else {
      slot_[s] = uses_default;
    }
  }

  /// prepare for every system.
  void prepare_all() {
    for (index_t s = 0; s < m_.system_count(); ++s) prepare(s);
  }

  /// The procedure of prepared system s.
  const procedure_plan<Real>& of(index_t s) const noexcept {
    return slot_[s] == uses_default ? default_ : own_[slot_[s]];
  }
  /// The steps of procedure `p`, emergency then permanent.
  std::span<const step_plan<Real>> steps(const procedure_plan<Real>& p) const noexcept {
    return {steps_.data() + p.first, p.emergency + p.permanent};
  }
  /// The demands of step `st`.
  std::span<const step_need> needs(const step_plan<Real>& st) const noexcept {
    return {needs_.data() + st.needs_begin, st.needs_end - st.needs_begin};
  }
  /// The waits of step `st` for earlier steps.
  std::span<const step_wait<Real>> waits(const step_plan<Real>& st) const noexcept {
    return {waits_.data() + st.waits_begin, st.waits_end - st.waits_begin};
  }
  /// The pool that re-enters prepared system s's lost data, or no_index.
  index_t reentry_pool(index_t s) const noexcept { return reentry_pool_[s]; }

private:
  static constexpr std::size_t unprepared = ~std::size_t(0), uses_default = unprepared - 1;

  // Resolves the names of a procedure of the model (validated: every demand
  // names a pool, every wait an earlier step, names are unique).
  procedure_plan<Real> add(const recovery_procedure<Real>& proc) {
    procedure_plan<Real> p;
    p.first = steps_.size();
    p.emergency = proc.emergency.size();
    p.permanent = proc.permanent.size();
    p.emergency_capacity = proc.emergency_capacity;
    auto position = [&](std::string_view name) {
      for (std::size_t k = 0; k < p.emergency; ++k)
        if (proc.emergency[k].name == name) return k;
      for (std::size_t k = 0; k < p.permanent; ++k)
        if (proc.permanent[k].name == name) return p.emergency + k;
      return ~std::size_t(0); // (the model's validation rules this out)
    };
    for (const auto* phase : {&proc.emergency, &proc.permanent})
      for (const auto& st : *phase) {
        step_plan<Real> sp;
        sp.step = &st;
        sp.needs_begin = needs_.size();
        for (const auto& dm : st.needs) needs_.push_back({*m_.find_resource(dm.resource), dm.units});
        sp.needs_end = needs_.size();
        sp.waits_begin = waits_.size();
        for (const auto& l : st.after) waits_.push_back({position(l.step), l.start_to_start, l.lag});
        sp.waits_end = waits_.size();
        steps_.push_back(sp);
      }
    return p;
  }

  const basic_model<Real>& m_;
  recovery_procedure<Real> default_shape_;
  procedure_plan<Real> default_;
  std::vector<std::size_t> slot_; // by system: in own_, uses_default or unprepared
  std::vector<index_t> reentry_pool_;
  std::vector<procedure_plan<Real>> own_;
  std::vector<step_plan<Real>> steps_;
  std::vector<step_need> needs_;
  std::vector<step_wait<Real>> waits_;
};

} // namespace continuity::detail
