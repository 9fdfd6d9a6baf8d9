// continuity/model/backup_survival.hpp — the rules by which a backup
// survives an incident, and how old its newest usable copy then is. Part of
// the model: a model lists, when it is built, the ransomware scenarios whose
// dwell time leaves a system no clean offline copy.
#pragma once

#include <continuity/model/backup.hpp>
#include <continuity/model/scenario.hpp>

namespace continuity {

/// True if backup `b` of a system that `kind` damages is still usable:
/// ransomware encrypts online backups (offline and immutable ones survive if
/// a generation older than the attacker's dwell time is kept); a physical
/// incident destroys on-site media; other kinds leave backups intact.
template <class Real>
bool backup_survives(const backup<Real>& b, incident_kind kind, Real dwell_time) noexcept {
  if (kind == incident_kind::ransomware) {
    if (b.mode == backup_mode::online) return false;
    // A one-off copy is clean if it was taken before the attacker got in.
    if (b.age) return *b.age >= dwell_time;
    // Generations taken during the dwell time are infected. With backups at
    // ages a, a + I, …, a + (G−1)·I (0 ≤ a < I), a clean one is guaranteed
    // only if (G − 1)·I ≥ dwell time.
    return Real(b.generations - 1) * b.interval >= dwell_time;
  }
  if (is_physical(kind)) return b.offsite;
  return true;
}

/// Worst-case age of the newest usable generation of a surviving backup:
/// one interval, plus the dwell time for ransomware (generations younger
/// than the dwell time are infected); a one-off copy's own age.
template <class Real>
Real worst_case_backup_age(const backup<Real>& b, incident_kind kind, Real dwell_time) noexcept {
  if (b.age) return *b.age;
  return b.interval + (kind == incident_kind::ransomware ? dwell_time : Real(0));
}

} // namespace continuity
