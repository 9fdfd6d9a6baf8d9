// continuity/model/ransom.hpp — the ransom demand of a ransomware scenario
// and the organisation's policy on it: pay, or restore without paying.
//
// Paying buys a chance of a working decryption key, after a negotiation and
// payment, and a decryption that takes its own time; with a working key the
// encrypted data come back whole (no data lost to a backup's age, nothing to
// re-enter, nothing rebuilt from scratch), but the decrypted systems' recovery
// cannot start before the key has arrived and the data are decrypted. The
// data may leak anyway (double extortion), and paying may break sanctions
// law. Not paying leaves the recovery to the backups, and the data may be
// published. Both policies are compared on the same incidents (common random
// numbers) by compare_ransom_policies (loss/ransom_decision.hpp).
#pragma once

#include <continuity/model/detail/same_distribution.hpp>
#include <continuity/random/distribution.hpp>

#include <array>
#include <cstddef>
#include <string_view>

namespace continuity {

/// The ransom demand of a ransomware scenario and the policy on it.
template <class Real = double>
struct ransom_terms {
  /// The policy: true to pay the ransom, false to restore without paying.
  bool pay = false;
  /// Amount demanded and paid if the policy is to pay (money).
  distribution<Real> demand;
  /// Chance that paying brings a key that decrypts the data, in [0, 1].
  Real key_works = 0;
  /// Hours from the incident until the key arrives (negotiation, payment).
  distribution<Real> key_arrival;
  /// Hours to decrypt one system's data once the key is there.
  distribution<Real> decryption;
  /// Chance that the stolen data leak even though the ransom is paid, in [0, 1].
  Real leak_if_paid = 0;
  /// Chance that the stolen data are published when the ransom is not paid, in [0, 1].
  Real leak_if_not_paid = 0;
  /// Cost of a leak (notifications, compensation, lost trust), money.
  distribution<Real> leak_cost;
  /// Chance that a payment breaks sanctions or other law, in [0, 1].
  Real sanctions_probability = 0;
  /// Cost if it does (fines, legal costs), money.
  distribution<Real> sanctions_cost;

  friend bool operator==(const ransom_terms& a, const ransom_terms& b) {
    return a.pay == b.pay && detail::same_distribution(a.demand, b.demand) &&
           a.key_works == b.key_works && detail::same_distribution(a.key_arrival, b.key_arrival) &&
           detail::same_distribution(a.decryption, b.decryption) &&
           a.leak_if_paid == b.leak_if_paid && a.leak_if_not_paid == b.leak_if_not_paid &&
           detail::same_distribution(a.leak_cost, b.leak_cost) &&
           a.sanctions_probability == b.sanctions_probability &&
           detail::same_distribution(a.sanctions_cost, b.sanctions_cost);
  }
};

/// The cost lines a scenario with ransom terms adds after its own: what was
/// paid (response), the leak (liability) and the sanctions (legal).
inline constexpr std::array<std::string_view, 3> ransom_line_names{"ransom payment", "data leak",
                                                                   "sanctions"};

/// Number of ransom cost lines.
inline constexpr std::size_t ransom_line_count = ransom_line_names.size();

} // namespace continuity
