// continuity/loss/loss_summary.hpp — statistics of losses that stream: a
// summary of bounded size that takes the trials a block at a time and merges
// with the summaries of other blocks (shards of a simulation run anywhere),
// so that a run of 10⁹ trials never holds all of them in one place.
//
// What a summary holds (n trials, losses x >= 0):
//  * the number of trials, of zero losses, the smallest and largest loss;
//  * a histogram of the positive losses in log-linear bins: the bins split
//    each binary order of magnitude [2^e, 2^(e+1)) into 2^b equal parts —
//    a bin is the losses whose binary64 representation starts with the same
//    12 + b bits, so finding the bin of a loss is a shift (no logarithm, the
//    same bin on every machine). Each bin keeps its count, the exact sum of
//    its losses and the exact sum of their squares (integers: the losses of
//    a bin share their binary exponent, so the sums are sums of 53-bit
//    significands in 128 and 192 bits, enough for 2^64 trials);
//  * the `tail` largest losses, exactly;
//  * the exact sum of each breakdown column (per category, scenario, ...).
//
// Every part is exact — counts, integer sums, the largest losses as a set —
// so merging is associative and commutative and the summary of a run is the
// same, bit for bit, for any split into blocks or shards and any order of
// merging. The figures are computed from the exact parts in a fixed order:
// the same bits for any split too.
//
// Accuracy, with the conventions of loss_statistics (x_(1) <= ... <= x_(n)):
//  * mean: the exact sum rounded once, divided by n (within 1.5 ulp);
//    standard deviation: from the exact Σx and Σx² (n·Σx² − (Σx)² computed
//    exactly), within a few ulp;
//  * VaR_p = x_(k), k = max(1, ⌈n·p⌉): exact when x_(k) is among the
//    largest losses held (p >= 1 − tail/n), is a zero loss, or is the
//    smallest loss; otherwise the estimate v of the bin [L, U) holding x_(k),
//    v = 2LU/(L + U), whose relative error |v − x|/x is at most
//    (U − L)/(U + L) <= 1/(2^(b+1) + 1) for every x in [L, U). b is the
//    smallest number of bits for which that bound (plus 10⁻¹⁵ for rounding)
//    is at most the requested relative accuracy α: |VaR̂ − VaR| <= α·VaR;
//  * TVaR_p = (Σ_{i>k} x_(i) + (k − n·p)·x_(k)) / (n·(1 − p)): exact under
//    the same conditions as VaR (computed as loss_statistics does, the same
//    bits); otherwise the bins above x_(k)'s bin add their exact sums and
//    the W = (number of its losses ranked above k) + (k − n·p) units of
//    x_(k)'s bin count at v each. Each unit has a relative error at most α
//    and every other term is exact, so
//        |TVaR̂ − TVaR| <= α · W·x̄ / (n·(1 − p)) <= α · TVaR,
//    where W·x̄ is the part of the tail sum in x_(k)'s bin — in practice a
//    small share of the tail, so the error is far below α·TVaR.
// Positive losses below 2^-1022 (subnormal numbers) are binned with an
// absolute, not relative, accuracy; money amounts never are that small.
//
// Size: 48 bytes for each bin of a binary order of magnitude that a loss
// fell in (2^b bins; α = 10⁻³ gives b = 9: 24 KiB each, about 0.5 MiB for
// losses from 1 to 10⁶), 8 bytes per kept largest loss, 64 KiB per column.
#pragma once

#include <continuity/error.hpp>
#include <continuity/loss/detail/order_statistics.hpp>
#include <continuity/random/detail/check.hpp>

#include <boost/multiprecision/cpp_int.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace continuity {
namespace detail {

__extension__ typedef unsigned __int128 summary_uint128;

/// A finite double split into its binary order of magnitude (the biased
/// exponent field: 0 for zero and subnormals, 1 … 2046 otherwise) and its
/// integer significand (with the implicit leading bit): the value is
/// significand · 2^(scale_of(binade) − 1074).
struct double_parts {
  unsigned binade;
  std::uint64_t significand;
};

inline double_parts parts_of(double x) noexcept {
  const auto bits = std::bit_cast<std::uint64_t>(x) & ~(std::uint64_t(1) << 63);
  const auto binade = static_cast<unsigned>(bits >> 52);
  const std::uint64_t fraction = bits & ((std::uint64_t(1) << 52) - 1);
  return {binade, binade != 0 ? fraction | (std::uint64_t(1) << 52) : fraction};
}

/// The power of two (above 2^-1074) of one unit of a binade's significands.
inline unsigned scale_of(unsigned binade) noexcept { return binade != 0 ? binade - 1 : 0; }

using big_integer = boost::multiprecision::cpp_int;

inline big_integer big_of(summary_uint128 v) {
  big_integer b = static_cast<std::uint64_t>(v >> 64);
  b <<= 64;
  b += static_cast<std::uint64_t>(v);
  return b;
}

/// A non-negative integer v rounded once to 53 bits: v ≈ head · 2^shift.
struct rounded_integer {
  double head = 0;
  long shift = 0;
};

inline rounded_integer round_big(const big_integer& v) {
  if (v.is_zero()) return {};
  const auto top = static_cast<long>(boost::multiprecision::msb(v));
  if (top < 64) return {static_cast<double>(static_cast<std::uint64_t>(v)), 0};
  // The top 64 bits, the lowest of them or-ed with every bit below (sticky):
  // converting those to double rounds as converting v would.
  const long shift = top - 63;
  auto head = static_cast<std::uint64_t>(v >> shift);
  if (static_cast<long>(boost::multiprecision::lsb(v)) < shift) head |= 1;
  return {static_cast<double>(head), shift};
}

/// v · 2^(exponent) / divisor, with v rounded once (v >= 0).
inline double scaled_quotient(const big_integer& v, long exponent, double divisor) {
  const auto r = round_big(v);
  return std::ldexp(r.head / divisor, static_cast<int>(r.shift + exponent));
}

/// The exact sum of finite doubles: per binary order of magnitude and sign,
/// the sum of the integer significands (at most 2^117 for 2^64 values).
class exact_sum {
public:
  exact_sum() : slots_(2 * 2048) {}

  void add(double x) noexcept {
    const auto p = parts_of(x);
    slots_[p.binade + (std::signbit(x) ? 2048u : 0u)] += p.significand;
  }
  void merge(const exact_sum& other) noexcept {
    for (std::size_t i = 0; i < slots_.size(); ++i) slots_[i] += other.slots_[i];
  }
  /// The sum times 2^1074 (an integer; negative values subtract).
  big_integer scaled() const {
    big_integer positive = 0, negative = 0;
    for (unsigned e = 0; e < 2048; ++e) {
      if (slots_[e] != 0) positive += big_of(slots_[e]) << scale_of(e);
      if (slots_[e + 2048] != 0) negative += big_of(slots_[e + 2048]) << scale_of(e);
    }
    return positive - negative;
  }
  /// The sum divided by `divisor`, the sum rounded once.
  double quotient(double divisor) const {
    const big_integer s = scaled();
    const double q = scaled_quotient(boost::multiprecision::abs(s), -1074, divisor);
    return s.sign() < 0 ? -q : q;
  }
  std::vector<summary_uint128>& slots() noexcept { return slots_; }
  const std::vector<summary_uint128>& slots() const noexcept { return slots_; }

private:
  std::vector<summary_uint128> slots_;
};

/// Little-endian words and texts of a serialised summary.
class summary_writer {
public:
  void word(std::uint64_t w) {
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>((w >> (8 * i)) & 0xff));
  }
  void real(double x) { word(std::bit_cast<std::uint64_t>(x)); }
  void wide(summary_uint128 v) {
    word(static_cast<std::uint64_t>(v));
    word(static_cast<std::uint64_t>(v >> 64));
  }
  void text(const std::string& s) {
    word(s.size());
    out_ += s;
  }
  std::string take() { return std::move(out_); }

private:
  std::string out_;
};

class summary_reader {
public:
  explicit summary_reader(std::string_view in) : in_(in) {}
  std::uint64_t word() {
    need(8);
    std::uint64_t w = 0;
    for (int i = 0; i < 8; ++i)
      w |= static_cast<std::uint64_t>(static_cast<unsigned char>(in_[at_ + static_cast<std::size_t>(i)]))
           << (8 * i);
    at_ += 8;
    return w;
  }
  double real() { return std::bit_cast<double>(word()); }
  summary_uint128 wide() {
    const std::uint64_t low = word();
    return (static_cast<summary_uint128>(word()) << 64) | low;
  }
  std::string text() {
    const std::uint64_t size = word();
    need(size);
    std::string s(in_.substr(at_, static_cast<std::size_t>(size)));
    at_ += static_cast<std::size_t>(size);
    return s;
  }
  /// A count of items of `bytes` bytes each that the rest can hold.
  std::uint64_t count(std::uint64_t bytes) {
    const std::uint64_t c = word();
    if (c > (in_.size() - at_) / bytes) fail("truncated");
    return c;
  }
  bool at_end() const noexcept { return at_ == in_.size(); }
  [[noreturn]] static void fail(const std::string& why) {
    throw value_error("loss summary", "", "state", "not a serialised loss summary (" + why + ")");
  }

private:
  void need(std::uint64_t bytes) const {
    if (bytes > in_.size() - at_) fail("truncated");
  }
  std::string_view in_;
  std::size_t at_ = 0;
};

} // namespace detail

/// Mergeable statistics of losses for runs too large to hold: moments, a
/// histogram of relative accuracy α with exact sums per bin, the largest
/// losses exactly and the sums of breakdown columns (see the header comment
/// for what is exact and the error bounds of VaR and TVaR). Add blocks of
/// losses with add(), combine summaries of other blocks with merge(): the
/// result is the same, bit for bit, for any split and order.
class loss_summary {
public:
  /// The default number of largest losses kept exactly.
  static constexpr std::size_t default_tail = 10'000;
  /// The default relative accuracy of VaR and TVaR: 0.1 %.
  static constexpr double default_relative_accuracy = 1e-3;

  /// An empty summary (no trials). `relative_accuracy` α, from 10⁻⁵ to 1:
  /// the bound on the relative error of VaR and TVaR; `tail`: how many of
  /// the largest losses to keep exactly; `column_names`: names of the
  /// breakdown columns whose sums to keep (add() then takes their values).
  explicit loss_summary(double relative_accuracy = default_relative_accuracy,
                        std::size_t tail = default_tail,
                        std::vector<std::string> column_names = {})
      : relative_accuracy_(relative_accuracy), tail_(tail), names_(std::move(column_names)),
        binades_(2047), columns_(names_.size()) {
    detail::require_within("loss summary", "relative_accuracy", relative_accuracy, 1e-5, 1.0,
                           "finer bins would take too much memory");
    bits_ = 0;
    while (bound_of_bits(bits_) + 1e-15 > relative_accuracy_) ++bits_;
  }

  /// Adds the losses of a block of trials (each finite and >= 0). With
  /// breakdown columns, `columns` holds their values trial by trial in
  /// column order: column c of trial t at c·losses.size() + t (the layout
  /// of simulation_result::breakdown). Nothing is added if a value is invalid.
  void add(std::span<const double> losses, std::span<const double> columns = {}) {
    check_block(losses, columns);
    for (const double x : losses) add_one(x);
    keep_largest();
    for (std::size_t c = 0; c < columns_.size(); ++c)
      for (const double v : columns.subspan(c * losses.size(), losses.size())) columns_[c].add(v);
  }

  /// Adds the trials of `other` (the summary of other trials, made with the
  /// same relative accuracy, tail and columns): afterwards this summarises
  /// both. Throws value_error naming the setting that differs.
  loss_summary& merge(const loss_summary& other) {
    if (&other == this) return merge(loss_summary(other));
    check_mergeable(other);
    trials_ += other.trials_;
    zeros_ += other.zeros_;
    minimum_ = std::min(minimum_, other.minimum_);
    maximum_ = std::max(maximum_, other.maximum_);
    for (std::size_t e = 0; e < binades_.size(); ++e) {
      const auto& from = other.binades_[e];
      if (from.empty()) continue;
      auto& to = block(static_cast<unsigned>(e));
      for (std::size_t j = 0; j < from.size(); ++j) to[j].merge(from[j]);
    }
    largest_.insert(largest_.end(), other.largest_.begin(), other.largest_.end());
    keep_largest();
    for (std::size_t c = 0; c < columns_.size(); ++c) columns_[c].merge(other.columns_[c]);
    return *this;
  }

  /// Number of trials.
  std::uint64_t trials() const noexcept { return trials_; }
  /// Number of trials with a zero loss.
  std::uint64_t zero_trials() const noexcept { return zeros_; }
  /// The relative accuracy α asked for: the bound on the relative error of VaR and TVaR.
  double relative_accuracy() const noexcept { return relative_accuracy_; }
  /// The bound the bins give, 1/(2^(b+1) + 1) <= α (b = bin_bits()).
  double bin_accuracy() const noexcept { return bound_of_bits(bits_); }
  /// b: each binary order of magnitude is split into 2^b bins.
  unsigned bin_bits() const noexcept { return bits_; }
  /// How many of the largest losses are kept exactly.
  std::size_t tail() const noexcept { return tail_; }
  /// The largest losses kept (min(trials, tail) of them), ascending.
  std::span<const double> largest_losses() const noexcept { return largest_; }
  /// Names of the breakdown columns.
  const std::vector<std::string>& column_names() const noexcept { return names_; }

  /// Smallest loss (NaN without trials).
  double minimum() const noexcept { return trials_ ? minimum_ : nan(); }
  /// Largest loss (NaN without trials).
  double maximum() const noexcept { return trials_ ? maximum_ : nan(); }
  /// The sum of the losses (the exact sum, rounded once).
  double sum() const { return detail::scaled_quotient(sum_scaled(), -1074, 1.0); }
  /// Mean loss per trial (NaN without trials).
  double mean() const {
    return trials_ ? detail::scaled_quotient(sum_scaled(), -1074, count(trials_)) : nan();
  }
  /// Sample standard deviation (divisor n − 1; 0 for one trial, NaN for none).
  double standard_deviation() const {
    if (trials_ < 2) return trials_ ? 0.0 : nan();
    // n·Σx² − (Σx)², both scaled by 2^2148, exactly (never negative).
    detail::big_integer squares = 0;
    for_each_bin([&](unsigned e, std::size_t, const bin& b) {
      squares += ((detail::big_of(b.squares_high) << 128) + detail::big_of(b.squares))
                 << (2 * detail::scale_of(e));
    });
    const detail::big_integer s = sum_scaled();
    const detail::big_integer spread = detail::big_integer(trials_) * squares - s * s;
    const double n = count(trials_);
    return std::sqrt(detail::scaled_quotient(spread, -2148, n) / count(trials_ - 1));
  }
  /// Standard error of the mean (NaN without trials).
  double standard_error() const { return standard_deviation() / std::sqrt(count(trials_)); }

  /// The p-quantile (p in [0, 1]), VaR_p: exact or within relative α (see
  /// the header comment). Throws value_error without trials.
  double quantile(double p) const {
    check_level(p);
    const std::uint64_t k = detail::quantile_rank(trials_, p);
    if (exact_rank(k)) return exact_value(k);
    const bin_rank at = bin_of_rank(k);
    return estimate(at.binade, at.bin);
  }
  /// Value at risk at `level` in [0, 1]: the level-quantile.
  double value_at_risk(double level) const { return quantile(level); }
  /// Tail value at risk at `level` in [0, 1] (Acerbi–Tasche, as
  /// loss_statistics): exact or within relative α (see the header comment).
  double tail_value_at_risk(double level) const {
    check_level(level);
    const double n = count(trials_);
    const double tail = n * (1 - level);
    if (!(tail > 0)) return maximum_;
    const std::uint64_t k = detail::quantile_rank(trials_, level);
    if (trials_ - k < largest_.size())
      return detail::tail_mean_of_largest<double>(largest_, trials_, level);
    if (k <= zeros_) return detail::scaled_quotient(sum_scaled(), -1074, tail);
    const bin_rank at = bin_of_rank(k);
    detail::big_integer upper = 0; // the exact sum of the bins above x_(k)'s, scaled by 2^1074
    for_each_bin([&](unsigned e, std::size_t j, const bin& b) {
      if (e > at.binade || (e == at.binade && j > at.bin))
        upper += detail::big_of(b.sum) << detail::scale_of(e);
    });
    const double units = count(at.above) + (count(k) - n * level);
    return (detail::scaled_quotient(upper, -1074, 1.0) + units * estimate(at.binade, at.bin)) /
           tail;
  }
  /// Whether VaR and TVaR at `level` are exact (from the largest losses
  /// kept, zero losses or the smallest loss) rather than within α.
  bool exact_at(double level) const {
    check_level(level);
    const std::uint64_t k = detail::quantile_rank(trials_, level);
    return !(count(trials_) * (1 - level) > 0) || trials_ - k < largest_.size() || k <= zeros_;
  }

  /// The sum of each breakdown column (exact sums, rounded once).
  std::vector<double> column_sums() const {
    std::vector<double> out;
    for (const auto& c : columns_) out.push_back(c.quotient(1.0));
    return out;
  }
  /// The mean of each breakdown column over the trials (NaN without trials).
  std::vector<double> column_means() const {
    std::vector<double> out;
    for (const auto& c : columns_) out.push_back(trials_ ? c.quotient(count(trials_)) : nan());
    return out;
  }

  /// The summary as bytes (to send to another process or store), read back
  /// by deserialise(): the same summary, bit for bit.
  std::string serialise() const {
    detail::summary_writer w;
    w.text(magic);
    w.real(relative_accuracy_);
    w.word(tail_);
    w.word(names_.size());
    for (const auto& n : names_) w.text(n);
    w.word(trials_);
    w.word(zeros_);
    w.real(minimum_);
    w.real(maximum_);
    std::uint64_t bins = 0;
    for_each_bin([&](unsigned, std::size_t, const bin&) { ++bins; });
    w.word(bins);
    for_each_bin([&](unsigned e, std::size_t j, const bin& b) {
      w.word(e);
      w.word(j);
      w.word(b.count);
      w.wide(b.sum);
      w.wide(b.squares);
      w.word(b.squares_high);
    });
    w.word(largest_.size());
    for (const double x : largest_) w.real(x);
    for (const auto& c : columns_) {
      std::uint64_t used = 0;
      for (const auto v : c.slots()) used += v != 0;
      w.word(used);
      for (std::size_t i = 0; i < c.slots().size(); ++i)
        if (c.slots()[i] != 0) {
          w.word(i);
          w.wide(c.slots()[i]);
        }
    }
    return w.take();
  }
  /// The summary that serialise() wrote. Throws value_error if `bytes` is not one.
  static loss_summary deserialise(std::string_view bytes) {
    detail::summary_reader r(bytes);
    if (r.text() != magic) r.fail("unknown format");
    const double accuracy = r.real();
    const std::uint64_t tail = r.word();
    std::vector<std::string> names(r.count(8));
    for (auto& n : names) n = r.text();
    loss_summary s(accuracy, static_cast<std::size_t>(tail), std::move(names));
    s.trials_ = r.word();
    s.zeros_ = r.word();
    s.minimum_ = r.real();
    s.maximum_ = r.real();
    std::uint64_t counted = s.zeros_;
    for (std::uint64_t bins = r.count(64); bins > 0; --bins) {
      const std::uint64_t e = r.word(), j = r.word();
      if (e >= s.binades_.size() || j >> s.bits_ != 0) r.fail("bin out of range");
      bin& b = s.block(static_cast<unsigned>(e))[static_cast<std::size_t>(j)];
      b.count = r.word();
      b.sum = r.wide();
      b.squares = r.wide();
      b.squares_high = r.word();
      if (b.count > s.trials_ - std::min(counted, s.trials_)) r.fail("counts exceed the trials");
      counted += b.count;
    }
    if (counted != s.trials_) r.fail("counts do not add up to the trials");
    s.largest_.resize(static_cast<std::size_t>(r.count(8)));
    for (double& x : s.largest_) x = r.real();
    if (s.largest_.size() > std::min<std::uint64_t>(s.tail_, s.trials_) ||
        !std::is_sorted(s.largest_.begin(), s.largest_.end()) ||
        std::any_of(s.largest_.begin(), s.largest_.end(), [](double x) { return !valid(x); }))
      r.fail("largest losses");
    for (auto& c : s.columns_)
      for (std::uint64_t used = r.count(24); used > 0; --used) {
        const std::uint64_t i = r.word();
        if (i >= c.slots().size()) r.fail("column slot out of range");
        c.slots()[static_cast<std::size_t>(i)] = r.wide();
      }
    if (!r.at_end()) r.fail("trailing bytes");
    s.prune_largest();
    return s;
  }

private:
  static constexpr const char* magic = "continuity loss summary 1";

  struct bin {
    detail::summary_uint128 sum = 0;     // of the significands
    detail::summary_uint128 squares = 0; // of their squares: the low 128 bits …
    std::uint64_t squares_high = 0;      // … and the high 64
    std::uint64_t count = 0;

    void add(std::uint64_t significand) noexcept {
      ++count;
      sum += significand;
      add_squares(static_cast<detail::summary_uint128>(significand) * significand, 0);
    }
    void merge(const bin& o) noexcept {
      count += o.count;
      sum += o.sum;
      add_squares(o.squares, o.squares_high);
    }
    void add_squares(detail::summary_uint128 low, std::uint64_t high) noexcept {
      squares += low;
      squares_high += high + (squares < low ? 1 : 0);
    }
  };

  static double bound_of_bits(unsigned bits) noexcept {
    return 1.0 / (std::ldexp(1.0, static_cast<int>(bits) + 1) + 1.0);
  }
  static double nan() noexcept { return std::numeric_limits<double>::quiet_NaN(); }
  static double count(std::uint64_t n) noexcept { return static_cast<double>(n); }
  static bool valid(double x) noexcept {
    return x >= 0 && x <= std::numeric_limits<double>::max();
  }

  std::vector<bin>& block(unsigned binade) {
    auto& b = binades_[binade];
    if (b.empty()) b.resize(std::size_t(1) << bits_);
    return b;
  }

  void add_one(double x) {
    ++trials_;
    minimum_ = std::min(minimum_, x);
    maximum_ = std::max(maximum_, x);
    if (x == 0) {
      ++zeros_;
      return;
    }
    const auto p = detail::parts_of(x);
    block(p.binade)[static_cast<std::size_t>((p.significand >> (52 - bits_)) &
                                             ((std::uint64_t(1) << bits_) - 1))]
        .add(p.significand);
    // Candidates for the largest losses: pruned to the `tail` largest when
    // twice as many have gathered (then only larger losses can enter).
    if (tail_ > 0 && (largest_.size() < tail_ || x > floor_)) {
      largest_.push_back(x);
      if (largest_.size() >= 2 * tail_) prune_largest();
    }
  }
  void prune_largest() {
    if (largest_.size() > tail_) {
      std::nth_element(largest_.begin(), largest_.end() - static_cast<std::ptrdiff_t>(tail_),
                       largest_.end());
      largest_.erase(largest_.begin(), largest_.end() - static_cast<std::ptrdiff_t>(tail_));
    }
    if (largest_.size() == tail_ && tail_ > 0)
      floor_ = *std::min_element(largest_.begin(), largest_.end());
  }
  void keep_largest() {
    prune_largest();
    std::sort(largest_.begin(), largest_.end());
  }

  void check_block(std::span<const double> losses, std::span<const double> columns) const {
    if (columns.size() != losses.size() * names_.size())
      throw value_error("loss summary", "", "columns",
                        "holds " + std::to_string(columns.size()) + " values, not trials × columns = " +
                            std::to_string(losses.size()) + " × " + std::to_string(names_.size()));
    if (losses.size() > std::numeric_limits<std::uint64_t>::max() - trials_)
      throw value_error("loss summary", "", "trials", "more than 2^64 − 1 trials in all");
    for (std::size_t i = 0; i < losses.size(); ++i)
      if (!valid(losses[i]))
        throw value_error("loss summary", "", "losses[" + std::to_string(i) + "]",
                          "must be finite and >= 0, got " + detail::format_number(losses[i]));
    for (std::size_t i = 0; i < columns.size(); ++i)
      if (!std::isfinite(columns[i]))
        throw value_error("loss summary", "", "columns." + names_[i / losses.size()],
                          "must be finite, got " + detail::format_number(columns[i]));
  }
  void check_mergeable(const loss_summary& o) const {
    if (o.relative_accuracy_ != relative_accuracy_)
      throw value_error("loss summary", "", "relative_accuracy",
                        "cannot merge summaries of relative accuracy " +
                            detail::format_number(relative_accuracy_) + " and " +
                            detail::format_number(o.relative_accuracy_));
    if (o.tail_ != tail_)
      throw value_error("loss summary", "", "tail",
                        "cannot merge summaries keeping the " + std::to_string(tail_) + " and the " +
                            std::to_string(o.tail_) + " largest losses");
    if (o.names_ != names_)
      throw value_error("loss summary", "", "columns",
                        "cannot merge summaries of different breakdown columns");
    if (o.trials_ > std::numeric_limits<std::uint64_t>::max() - trials_)
      throw value_error("loss summary", "", "trials", "more than 2^64 − 1 trials in all");
  }
  void check_level(double p) const {
    if (!(p >= 0 && p <= 1)) detail::bad_parameter("loss summary", "level", "must be in [0, 1]", p);
    if (trials_ == 0) throw value_error("loss summary", "", "trials", "has no trials");
  }

  template <class Visit>
  void for_each_bin(Visit&& visit) const {
    for (unsigned e = 0; e < binades_.size(); ++e)
      for (std::size_t j = 0; j < binades_[e].size(); ++j)
        if (binades_[e][j].count != 0) visit(e, j, binades_[e][j]);
  }
  detail::big_integer sum_scaled() const {
    detail::big_integer s = 0;
    for_each_bin([&](unsigned e, std::size_t, const bin& b) {
      s += detail::big_of(b.sum) << detail::scale_of(e);
    });
    return s;
  }

  // The k-th smallest loss is known exactly: a zero, the smallest, or one of the largest kept.
  bool exact_rank(std::uint64_t k) const noexcept {
    return k <= zeros_ || k == 1 || trials_ - k < largest_.size();
  }
  double exact_value(std::uint64_t k) const noexcept {
    if (trials_ - k < largest_.size())
      return largest_[largest_.size() - 1 - static_cast<std::size_t>(trials_ - k)];
    return k <= zeros_ ? 0.0 : minimum_;
  }
  struct bin_rank {
    unsigned binade;
    std::size_t bin;
    std::uint64_t above; // losses of the bin ranked above k
  };
  // The bin of the k-th smallest loss (k > zeros).
  bin_rank bin_of_rank(std::uint64_t k) const {
    std::uint64_t through = zeros_;
    bin_rank found{0, 0, 0};
    bool done = false;
    for_each_bin([&](unsigned e, std::size_t j, const bin& b) {
      if (done) return;
      through += b.count;
      if (through >= k) {
        found = {e, j, through - k};
        done = true;
      }
    });
    return found;
  }
  // v = 2LU/(L + U) of bin j of binade e, within the smallest and largest loss.
  double estimate(unsigned e, std::size_t j) const noexcept {
    const unsigned step = 52 - bits_;
    const std::uint64_t low = (std::uint64_t(e) << 52) | (std::uint64_t(j) << step);
    const double l = std::bit_cast<double>(low);
    const double u = std::bit_cast<double>(low + (std::uint64_t(1) << step));
    const double v = std::isinf(u) ? l : l * (2.0 / (1.0 + l / u));
    return std::clamp(v, minimum_, maximum_);
  }

  double relative_accuracy_;
  std::size_t tail_;
  std::vector<std::string> names_;
  unsigned bits_ = 0;
  std::uint64_t trials_ = 0, zeros_ = 0;
  double minimum_ = std::numeric_limits<double>::infinity();
  double maximum_ = -std::numeric_limits<double>::infinity();
  std::vector<std::vector<bin>> binades_; // by binary order of magnitude; empty until used
  std::vector<double> largest_;           // ascending after each add() or merge()
  double floor_ = -std::numeric_limits<double>::infinity(); // smallest of a full set of largest
  std::vector<detail::exact_sum> columns_;
};

} // namespace continuity
