// continuity/analysis/backup_exposure.hpp — which backups survive an
// incident, the realised recovery point (data lost), and the 3-2-1 rule.
#pragma once

#include <continuity/model/backup.hpp>
#include <continuity/model/backup_survival.hpp>
#include <continuity/model/model.hpp>
#include <continuity/model/scenario.hpp>
#include <continuity/model/system.hpp>

#include <limits>
#include <vector>

namespace continuity {

/// Data loss of one system under an incident.
template <class Real = double>
struct data_loss {
  /// Realised recovery point in hours: data created in this window before the
  /// incident is lost (0: no loss; +infinity: every backup lost).
  Real rpo = 0;
  /// Index of the backup to restore from, or no_index if none (no loss, or all lost).
  index_t backup = no_index;
  /// Hours to restore from that backup (0 if none).
  Real restore_time = 0;
  /// True if the incident destroyed the system's data.
  bool data_destroyed = false;
  /// True if the data came back whole by decryption with a key bought with
  /// a ransom (then nothing is lost and data_destroyed is false).
  bool decrypted = false;
  /// Index of the system backup (backup_content::system) to rebuild the
  /// system from, if the incident destroyed its contents and one survives;
  /// no_index otherwise.
  index_t system_backup = no_index;
  /// Hours to restore the system from that backup (0 if none).
  Real system_restore_time = 0;
};

/// Data loss of system `s` when `kind` damages it directly (`damaged`); a
/// system only taken down by its dependencies keeps its data.
template <class Real>
data_loss<Real> realised_data_loss(const it_system<Real>& s, bool damaged, incident_kind kind,
                                   Real dwell_time) noexcept {
  data_loss<Real> out;
  if (!damaged || !destroys_data(kind)) return out;
  // The quickest surviving backup of the system itself, if any.
  for (std::size_t i = 0; i < s.backups.size(); ++i) {
    const auto& b = s.backups[i];
    if (b.content != backup_content::system || !backup_survives(b, kind, dwell_time)) continue;
    if (out.system_backup == no_index || b.restore_time < out.system_restore_time) {
      out.system_backup = static_cast<index_t>(i);
      out.system_restore_time = b.restore_time;
    }
  }
  if (!s.has_data()) return out;
  out.data_destroyed = true;
  out.rpo = std::numeric_limits<Real>::infinity();
  for (std::size_t i = 0; i < s.backups.size(); ++i) {
    const auto& b = s.backups[i];
    if (b.content != backup_content::data || !backup_survives(b, kind, dwell_time)) continue;
    const Real age = worst_case_backup_age(b, kind, dwell_time);
    if (age < out.rpo || (age == out.rpo && b.restore_time < out.restore_time)) {
      out.rpo = age;
      out.backup = static_cast<index_t>(i);
      out.restore_time = b.restore_time;
    }
  }
  return out;
}

/// Realised data loss of every system under scenario i of a model.
template <class Real>
std::vector<data_loss<Real>> realised_data_loss(const basic_model<Real>& m, index_t scenario) {
  std::vector<data_loss<Real>> out(m.system_count());
  const auto& sc = m.scenario_at(scenario);
  for (index_t s : m.damaged_systems(scenario))
    out[s] = realised_data_loss(m.system_at(s), true, sc.kind, sc.dwell_time);
  return out;
}

/// How a system's backups measure up to the 3-2-1 rule: three copies besides
/// production, on two different media, one of them offline (or immutable)
/// at another site.
struct rule_3_2_1 {
  std::size_t copies = 0;       ///< backup arrangements
  std::size_t media = 0;        ///< distinct media among them
  bool offline_offsite = false; ///< one is offline or immutable, and off site
  /// True if all three parts hold.
  bool satisfied() const noexcept { return copies >= 3 && media >= 2 && offline_offsite; }
};

/// Checks a system's data backups against the 3-2-1 rule (system backups
/// do not count: they hold no data).
template <class Real>
rule_3_2_1 check_3_2_1(const it_system<Real>& s) {
  rule_3_2_1 r;
  std::vector<std::string> media;
  for (const auto& b : s.backups) {
    if (b.content != backup_content::data) continue; // the rule is about the data
    ++r.copies;
    if (std::find(media.begin(), media.end(), b.medium) == media.end()) media.push_back(b.medium);
    if (b.offsite && b.mode != backup_mode::online) r.offline_offsite = true;
  }
  r.media = media.size();
  return r;
}

} // namespace continuity
