// continuity/recovery/ransom_outcome.hpp — what the ransom policy of a
// ransomware scenario (model/ransom.hpp) gives in one incident: whether the
// ransom was paid, whether the key worked and when it arrived, whether the
// data leaked and the payment broke sanctions law, and the amounts of the
// three ransom cost lines.
//
// A single plan at point values takes the key as working if its chance is
// at least 1/2 (as the attack spread takes its chances), its arrival and the
// demand at their means, and the leak and the sanctions at their expected
// costs (chance × mean amount). A simulated incident draws each from a
// sub-stream of its own, keyed by what it is (ransom_draw), so the two
// policies of a decision see the same leak draw, the same arrival and the
// same amounts: their difference is the policy's, not noise.
#pragma once

#include <continuity/model/ransom.hpp>

#include <cstdint>

namespace continuity {

/// What the ransom policy gave in one incident.
template <class Real = double>
struct ransom_outcome {
  bool paid = false;       ///< the ransom was paid
  bool key_works = false;  ///< a working key arrived (only if paid)
  Real key_arrival = 0;    ///< hours from the incident until the key arrived (if it works)
  bool leaked = false;     ///< the data leaked (point values: chance ≥ 1/2)
  bool sanctioned = false; ///< the payment broke sanctions law (point values: chance ≥ 1/2)
  Real payment = 0;        ///< amount paid (the "ransom payment" line)
  Real leak_cost = 0;      ///< cost of the leak (the "data leak" line)
  Real sanctions_cost = 0; ///< cost of the sanctions (the "sanctions" line)

  friend bool operator==(const ransom_outcome&, const ransom_outcome&) = default;
};

/// What a sub-stream of a ransom draws (the role after draw_purpose::ransom
/// in a simulated incident's stream_key).
enum class ransom_draw : std::uint8_t {
  key_works,      ///< uniform: the key works if below key_works
  key_arrival,    ///< hours until the key arrives
  decryption,     ///< hours to decrypt one system (then: the system's name)
  leak,           ///< uniform: the data leak if below the policy's leak chance
  sanctions,      ///< uniform: the payment is sanctioned if below sanctions_probability
  demand,         ///< the amount paid
  leak_cost,      ///< the cost of the leak
  sanctions_cost, ///< the cost of the sanctions
};

/// The outcome of terms `t` at point values (see the header comment).
template <class Real>
ransom_outcome<Real> point_ransom_outcome(const ransom_terms<Real>& t) {
  ransom_outcome<Real> o;
  const Real half(0.5);
  o.paid = t.pay;
  const Real leak = o.paid ? t.leak_if_paid : t.leak_if_not_paid;
  o.leaked = leak >= half;
  o.leak_cost = leak * t.leak_cost.mean();
  if (!o.paid) return o;
  o.payment = t.demand.mean();
  o.key_works = t.key_works >= half;
  if (o.key_works) o.key_arrival = t.key_arrival.mean();
  o.sanctioned = t.sanctions_probability >= half;
  o.sanctions_cost = t.sanctions_probability * t.sanctions_cost.mean();
  return o;
}

/// The outcome of terms `t` in one simulated incident: `uniform(role)` gives
/// a uniform number in [0, 1) and `sample(role, d)` a draw of distribution
/// `d`, each from the sub-stream of `role` (a ransom_draw). Only the draws
/// the outcome needs are made.
template <class Real, class Uniform, class Sample>
ransom_outcome<Real> sample_ransom_outcome(const ransom_terms<Real>& t, Uniform&& uniform,
                                           Sample&& sample) {
  ransom_outcome<Real> o;
  o.paid = t.pay;
  const Real leak = o.paid ? t.leak_if_paid : t.leak_if_not_paid;
  o.leaked = leak > 0 && uniform(ransom_draw::leak) < leak;
  if (o.leaked) o.leak_cost = sample(ransom_draw::leak_cost, t.leak_cost);
  if (!o.paid) return o;
  o.payment = sample(ransom_draw::demand, t.demand);
  o.key_works = t.key_works > 0 && uniform(ransom_draw::key_works) < t.key_works;
  if (o.key_works) o.key_arrival = sample(ransom_draw::key_arrival, t.key_arrival);
  o.sanctioned = t.sanctions_probability > 0 &&
                 uniform(ransom_draw::sanctions) < t.sanctions_probability;
  if (o.sanctioned) o.sanctions_cost = sample(ransom_draw::sanctions_cost, t.sanctions_cost);
  return o;
}

} // namespace continuity
