// continuity/recovery/default_procedure.hpp — the recovery procedure a system
// gets when its model gives none, so that a model with only an inventory
// still gets a plan.
//
// The default is the emergency phase of docs/domain.md §4 and nothing more (no
// permanent phase, full capacity once back):
//
//   step            kind            hours                       needs       waits for
//   settle          settle          1                           —           detection
//   damage survey   damage_survey   2                           1 staff     settle
//   arrange backup  arrange_backup  by layer (below)            —           start of the survey
//   recovery work   recovery_work   by layer (below)            1 staff     survey, arrange backup,
//                                                                           the systems it depends on
//   service back    service_back    1                           1 staff     recovery work
//
//   layer           arrange backup                    recovery work
//   building        72 (temporary premises)           24
//   infrastructure  24 (replacement line, equipment)  8
//   hardware        24 (spare or replacement)         4
//   software        1 (locate the backup media)       4 + restore time of the backup used;
//                                                     40 if its data is lost with no backup
//   people          24 (call in substitutes)          0
//
// A surviving system backup (backup_content::system: a disk image, the
// software and settings, an environment in the cloud) replaces the layer's
// recovery-work hours (and the 40 h rebuild from scratch) by its restore
// time; the restore of the data from their own backup comes on top.
//
// "Staff" is the pool called default_staff_name ("IT staff") if the model has
// one with someone in it, else its first people pool with someone in it,
// else none. The figures are deliberately
// round placeholders: give real procedures (docs/model-format.md) for the
// systems that matter.
#pragma once

#include <continuity/analysis/backup_exposure.hpp>
#include <continuity/model/model.hpp>
#include <continuity/model/recovery_procedure.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace continuity {

/// Hours the default procedure gives to each of its steps for a system of
/// `layer` (see the table in the header comment).
template <class Real = double>
struct default_step_hours {
  Real settle = 1;         ///< confirm the situation has settled
  Real damage_survey = 2;  ///< survey the damage
  Real arrange_backup = 1; ///< arrange media, spares or premises
  Real recovery_work = 4;  ///< rebuild (a restore from backup is added for software)
  Real service_back = 1;   ///< verify and hand back to the business
};

/// The default step hours for a layer.
template <class Real = double>
constexpr default_step_hours<Real> default_hours_for(asset_layer layer) noexcept {
  default_step_hours<Real> h;
  switch (layer) {
  case asset_layer::building: h.arrange_backup = 72, h.recovery_work = 24; break;
  case asset_layer::infrastructure: h.arrange_backup = 24, h.recovery_work = 8; break;
  case asset_layer::hardware: h.arrange_backup = 24, h.recovery_work = 4; break;
  case asset_layer::software: h.arrange_backup = 1, h.recovery_work = 4; break;
  case asset_layer::people: h.arrange_backup = 24, h.recovery_work = 0; break;
  }
  return h;
}

/// Hours to rebuild a data-holding system whose data are lost with no usable
/// backup (in the default procedure).
template <class Real = double>
inline constexpr Real rebuild_without_backup_hours = Real(40);

/// Name of the pool the default procedure staffs its steps from, if any:
/// default_staff_name if the model has it with someone in it, else its
/// first people pool with someone in it (a pool of nobody could never run
/// the steps).
template <class Real>
std::optional<std::string> default_staff_pool(const basic_model<Real>& m) {
  if (const auto r = m.find_resource(default_staff_name); r && m.resources()[*r].capacity > 0)
    return std::string(default_staff_name);
  for (const auto& r : m.resources())
    if (r.kind == resource_kind::people && r.capacity > 0) return r.name;
  return std::nullopt;
}

/// Number of steps of the default procedure.
inline constexpr std::size_t default_step_count = 5;

/// The hours of the default procedure's steps for system `sys`, given how
/// much of its data an incident destroyed (`loss`, from realised_data_loss),
/// in step order: settle, damage survey, arrange backup, recovery work,
/// service back.
template <class Real>
std::array<Real, default_step_count> default_step_durations(const it_system<Real>& sys,
                                                            const data_loss<Real>& loss) noexcept {
  const auto hours = default_hours_for<Real>(sys.layer);
  // The rebuild: from a surviving system backup if there is one, else the
  // layer's hours; then the data from their backup. Data lost with no
  // backup and no system backup: a rebuild from scratch.
  const bool from_image = loss.system_backup != no_index;
  Real work = from_image ? loss.system_restore_time : hours.recovery_work;
  if (loss.data_destroyed) {
    if (loss.backup != no_index)
      work += loss.restore_time;
    else if (!from_image)
      work = rebuild_without_backup_hours<Real>;
  }
  return {hours.settle, hours.damage_survey, hours.arrange_backup, work, hours.service_back};
}

/// The default procedure of system `s` of `m`, given how much of its data an
/// incident destroyed (`loss`, from realised_data_loss).
template <class Real>
recovery_procedure<Real> default_procedure(const basic_model<Real>& m, index_t s,
                                           const data_loss<Real>& loss) {
  const auto hours = default_step_durations(m.system_at(s), loss);
  const auto staff = default_staff_pool(m);
  std::vector<step_demand> one;
  if (staff) one.push_back({*staff, 1});
  recovery_procedure<Real> p;
  auto step = [&](std::string name, step_kind kind, bool staffed,
                  std::vector<step_link<Real>> after) {
    recovery_step<Real> st;
    st.name = std::move(name);
    st.kind = kind;
    st.duration = distribution<Real>(hours[p.emergency.size()]);
    if (staffed) st.needs = one;
    st.after = std::move(after);
    p.emergency.push_back(std::move(st));
  };
  step("settle", step_kind::settle, false, {});
  step("damage survey", step_kind::damage_survey, true, {});
  step("arrange backup", step_kind::arrange_backup, false, {{"damage survey", true, Real(0)}});
  step("recovery work", step_kind::recovery_work, true,
       {{"damage survey", false, Real(0)}, {"arrange backup", false, Real(0)}});
  step("service back", step_kind::service_back, true, {});
  return p;
}

} // namespace continuity
