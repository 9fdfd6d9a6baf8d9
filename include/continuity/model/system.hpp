// continuity/model/system.hpp — a system (IT asset) in one of the five layers,
// what it depends on and how its data is backed up.
#pragma once

#include <continuity/model/backup.hpp>
#include <continuity/model/layer.hpp>
#include <continuity/model/recovery_procedure.hpp>
#include <continuity/model/requirement.hpp>

#include <optional>
#include <string>
#include <vector>

namespace continuity {

/// A system or IT asset (named it_system so that `using namespace continuity`
/// does not clash with std::system): a server, PC, application, network device, a
/// building, a power supply, a team of people.
template <class Real = double>
struct it_system {
  std::string name;                          ///< unique name
  asset_layer layer = asset_layer::software; ///< the layer it belongs to
  asset_side side = asset_side::server;      ///< client or server side
  std::string segment;                       ///< network segment (zone); empty: none
  std::vector<requirement> depends_on;       ///< what it needs to run
  std::vector<backup<Real>> backups;         ///< backups of its data
  /// Whether it holds data that a recovery point objective applies to; empty
  /// means "yes for the software layer, no otherwise".
  std::optional<bool> holds_data;
  Real transactions_per_hour = 0;         ///< data records created per hour of operation
  Real reentry_hours_per_transaction = 0; ///< staff hours to re-enter one lost record
  /// Resource pool whose people re-enter lost data (clerks, nurses); empty:
  /// the users of the system, not limited by any pool.
  std::string reentry_by;
  int reentry_staff = 1; ///< people re-entering in parallel (≥ 1)
  /// How it is recovered once damaged; empty: a default procedure from its
  /// layer and backups (see continuity/recovery/default_procedure.hpp).
  std::optional<recovery_procedure<Real>> recovery;

  /// holds_data, or its layer default.
  bool has_data() const noexcept { return holds_data.value_or(layer == asset_layer::software); }

  friend bool operator==(const it_system&, const it_system&) = default;
};

} // namespace continuity
