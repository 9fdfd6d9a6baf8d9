// continuity/loss/incident_input.hpp — the uncertain inputs of an incident:
// what a sensitivity analysis varies (tornado) or watches (rank
// correlation). An occurrence of a scenario samples how many systems the
// attack damages, how long each recovery step takes, how many records are
// affected and each cost line's amount.
#pragma once

#include <continuity/model/model.hpp>
#include <continuity/random/distribution.hpp>
#include <continuity/recovery/recovery_project.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace continuity {

/// Which kind of uncertain input of an incident.
enum class input_kind : std::uint8_t {
  step_duration,    ///< a recovery step's duration
  cost_amount,      ///< a cost line's amount
  records_affected, ///< the records affected
  systems_damaged,  ///< how many systems the attack damages (spread by chance)
};

/// One uncertain input of an occurrence of a scenario.
struct incident_input {
  input_kind kind = input_kind::step_duration;
  index_t system = no_index;                        ///< step_duration: the system
  recovery_phase phase = recovery_phase::emergency; ///< step_duration: the phase
  std::size_t index = 0; ///< step_duration: the step in its phase; cost_amount: the line

  /// Same input.
  friend bool operator==(const incident_input&, const incident_input&) = default;
};

/// An uncertain input with its report name and its distribution.
template <class Real = double>
struct uncertain_input {
  incident_input input;    ///< which input
  std::string name;        ///< "duration: <system>: <step>", "amount: <line>", "records affected"
  distribution<Real> law;  ///< its distribution (never a fixed value)
};

/// The uncertain inputs of scenario `i` of `m` at its point situation: the
/// durations of the recovery steps of the systems it damages at point values
/// (a step's duration_without_backup when the system's data are destroyed
/// with no surviving backup), the cost lines' amounts and the records
/// affected, in that order; fixed values are left out. (How many systems an
/// attack damages is not a distribution of the model: it follows from the
/// spread and is watched by rank_correlations.)
template <class Real>
std::vector<uncertain_input<Real>> uncertain_inputs(const basic_model<Real>& m, index_t i) {
  std::vector<uncertain_input<Real>> inputs;
  const auto& sc = m.scenario_at(i);
  const auto sit = situation_of(m, i);
  const auto rp = build_recovery_project(m, sit);
  for (index_t s = 0; s < m.system_count(); ++s) {
    if (!rp.is_damaged(s)) continue;
    const auto& proc = rp.procedure(s);
    const auto& loss = sit.data[s];
    const bool no_backup = loss.data_destroyed && loss.backup == no_index;
    for (auto ph : {recovery_phase::emergency, recovery_phase::permanent}) {
      const auto& steps = ph == recovery_phase::emergency ? proc.emergency : proc.permanent;
      for (std::size_t k = 0; k < steps.size(); ++k) {
        const auto& d = no_backup && steps[k].duration_without_backup
                            ? *steps[k].duration_without_backup
                            : steps[k].duration;
        if (d.is_fixed()) continue;
        inputs.push_back({{input_kind::step_duration, s, ph, k},
                          "duration: " + m.system_at(s).name + ": " + steps[k].name,
                          d});
      }
    }
  }
  for (std::size_t l = 0; l < sc.costs.size(); ++l)
    if (!sc.costs[l].amount.is_fixed())
      inputs.push_back({{input_kind::cost_amount, no_index, recovery_phase::emergency, l},
                        "amount: " + sc.costs[l].name,
                        sc.costs[l].amount});
  if (!sc.records_affected.is_fixed())
    inputs.push_back({{input_kind::records_affected, no_index, recovery_phase::emergency, 0},
                      "records affected",
                      sc.records_affected});
  return inputs;
}

} // namespace continuity
