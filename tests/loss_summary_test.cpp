// Tests of continuity/loss/loss_summary.hpp: the streaming summary against
// loss_statistics of the same trials (VaR and TVaR within the stated
// relative accuracy, or the same bits where the summary holds them exactly),
// exact sums against multiprecision references, split invariance of every
// part, serialisation and the errors.
#include <continuity/loss.hpp>

#include <catch2/catch.hpp>

#include "support/w1.hpp"

#include <boost/multiprecision/cpp_bin_float.hpp>

#include <cmath>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace loss_summary_test {

using continuity::loss_statistics;
using continuity::loss_summary;

std::vector<double> lognormal_losses(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  std::lognormal_distribution<double> d(12.0, 1.5);
  std::vector<double> v(n);
  for (auto& x : v) x = d(engine);
  return v;
}

// 90 % of the years lose nothing; the rest an exponential amount.
std::vector<double> mostly_zero_losses(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  std::bernoulli_distribution hit(0.1);
  std::exponential_distribution<double> amount(1e-6);
  std::vector<double> v(n);
  for (auto& x : v) x = hit(engine) ? amount(engine) : 0.0;
  return v;
}

std::vector<double> w1_losses(std::size_t n, std::uint64_t seed) {
  const auto r = continuity::run(continuity_test::w1_portfolio(), n, seed);
  return {r.annual_loss.data(), r.annual_loss.data() + r.annual_loss.size()};
}

loss_summary summary_of(std::span<const double> losses, double accuracy, std::size_t tail) {
  loss_summary s(accuracy, tail);
  s.add(losses);
  return s;
}

// The sum of the values in 400-bit binary floating point: exact for these sizes.
double reference_sum(std::span<const double> v) {
  boost::multiprecision::number<boost::multiprecision::cpp_bin_float<400>> s = 0;
  for (double x : v) s += x;
  return static_cast<double>(s);
}


TEST_CASE("loss summary: VaR and TVaR within the relative accuracy of the exact statistics") {
  const std::vector<double> levels{0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999};
  struct sample {
    const char* name;
    std::vector<double> losses;
  };
  const std::vector<sample> samples{{"lognormal", lognormal_losses(200'000, 3)},
                                    {"W1", w1_losses(200'000, 5)},
                                    {"90 % zeros", mostly_zero_losses(200'000, 7)}};
  for (const auto& [name, losses] : samples)
    for (const double accuracy : {1e-2, 1e-3, 1e-4}) {
      INFO(name << ", relative accuracy " << accuracy);
      const loss_statistics<> exact{std::span<const double>(losses)};
      // A tail of 10 losses: every level below 0.99995 comes from the bins.
      const auto s = summary_of(losses, accuracy, 10);
      REQUIRE(s.trials() == losses.size());
      CHECK(s.bin_accuracy() <= accuracy);
      for (const double p : levels) {
        INFO("level " << p);
        const double var = exact.value_at_risk(p), tvar = exact.tail_value_at_risk(p);
        CHECK(std::abs(s.value_at_risk(p) - var) <= accuracy * var);
        CHECK(std::abs(s.tail_value_at_risk(p) - tvar) <= accuracy * tvar);
        CHECK(s.quantile(p) == s.value_at_risk(p));
      }
      // The extremes are exact: the smallest, the largest and TVaR(1).
      CHECK(s.quantile(0.0) == exact.minimum());
      CHECK(s.quantile(1.0) == exact.maximum());
      CHECK(s.tail_value_at_risk(1.0) == exact.maximum());
    }
}

TEST_CASE("loss summary: the worst case of a bin is within the bound") {
  // A loss at the bottom or just below the top of a bin, between a smaller
  // and a larger one (so the estimate is not clamped to the extremes): the
  // median is estimated from its bin alone.
  for (const double accuracy : {0.3, 1e-2, 1e-3, 1e-5}) {
    const loss_summary probe(accuracy, 0);
    const double width = std::ldexp(1.0, -static_cast<int>(probe.bin_bits()));
    for (const double binade : {1.0, 1024.0, std::ldexp(1.0, 40)})
      for (const double offset : {0.0, width, 0.5, 1.0 - width}) {
        const double low = binade * (1 + offset);
        for (const double x : {low, std::nextafter(binade * (1 + offset + width), 0.0)}) {
          loss_summary s(accuracy, 0);
          const std::vector<double> v{1e-3, x, x, 1e300};
          s.add(v);
          INFO("accuracy " << accuracy << ", loss " << x);
          CHECK(std::abs(s.quantile(0.5) - x) <= (s.bin_accuracy() + 1e-15) * x);
          CHECK(s.bin_accuracy() + 1e-15 <= accuracy);
        }
      }
  }
}

TEST_CASE("loss summary: exact where it holds the largest losses") {
  const auto losses = w1_losses(100'000, 11);
  const loss_statistics<> exact{std::span<const double>(losses)};
  const auto s = summary_of(losses, 1e-2, 1'001); // 100,000 · (1 − 0.99) + 1 losses
  for (const double p : {0.99, 0.995, 0.999, 0.9999}) {
    INFO("level " << p);
    CHECK(s.exact_at(p));
    CHECK(s.value_at_risk(p) == exact.value_at_risk(p));
    CHECK(s.tail_value_at_risk(p) == exact.tail_value_at_risk(p));
  }
  CHECK_FALSE(s.exact_at(0.98));
  const auto largest = s.largest_losses();
  const auto sorted = exact.sorted_losses();
  REQUIRE(largest.size() == 1'001);
  CHECK(std::equal(largest.begin(), largest.end(), sorted.end() - 1'001));

  // All trials kept: every level exact, the same bits as the exact statistics.
  const std::vector<double> few(losses.begin(), losses.begin() + 500);
  const loss_statistics<> few_exact{std::span<const double>(few)};
  const auto all = summary_of(few, 1e-2, 500);
  for (const double p : {0.0, 0.1, 0.5, 0.9, 0.99, 1.0}) {
    CHECK(all.value_at_risk(p) == few_exact.value_at_risk(p));
    CHECK(all.tail_value_at_risk(p) == few_exact.tail_value_at_risk(p));
  }
  // Zero losses are exact too.
  const auto zeros = mostly_zero_losses(10'000, 13);
  const auto z = summary_of(zeros, 1e-2, 0);
  const loss_statistics<> z_exact{std::span<const double>(zeros)};
  CHECK(z.zero_trials() == static_cast<std::uint64_t>(std::count(zeros.begin(), zeros.end(), 0.0)));
  CHECK(z.exact_at(0.5));
  CHECK(z.value_at_risk(0.5) == 0.0);
  CHECK(z.tail_value_at_risk(0.5) == Approx(z_exact.tail_value_at_risk(0.5)).epsilon(1e-14));
}

TEST_CASE("loss summary: moments and column sums from exact sums") {
  const auto losses = lognormal_losses(100'000, 17);
  const loss_statistics<> exact{std::span<const double>(losses)};
  const auto s = summary_of(losses, 1e-3, 100);
  // The exact sum rounded once; the mean one division more.
  CHECK(s.sum() == reference_sum(losses));
  CHECK(s.mean() == reference_sum(losses) / 100'000.0);
  CHECK(s.standard_deviation() == Approx(exact.standard_deviation()).epsilon(1e-13));
  CHECK(s.standard_error() == Approx(exact.standard_error()).epsilon(1e-13));
  CHECK(s.minimum() == exact.minimum());
  CHECK(s.maximum() == exact.maximum());

  // A constant spreads nothing; one trial has no spread.
  const std::vector<double> same(1'000, 0.1);
  CHECK(summary_of(same, 1e-3, 0).standard_deviation() == 0.0);
  CHECK(summary_of(std::vector<double>{5.0}, 1e-3, 0).standard_deviation() == 0.0);

  // Columns (any sign) in the layout of simulation_result::breakdown.
  const auto w1 = continuity::run(continuity_test::w1_portfolio(), 50'000, 19);
  std::vector<double> columns(w1.breakdown.data(), w1.breakdown.data() + w1.breakdown.size());
  const std::size_t rows = 50'000;
  for (std::size_t t = 0; t < rows; ++t) columns[t] = -columns[t]; // a negative column
  loss_summary c(1e-3, 10, w1.breakdown_names);
  c.add(std::span<const double>(w1.annual_loss.data(), rows), columns);
  const auto sums = c.column_sums();
  const auto means = c.column_means();
  REQUIRE(sums.size() == 3);
  for (std::size_t k = 0; k < 3; ++k) {
    const double expected = reference_sum(std::span<const double>(columns).subspan(k * rows, rows));
    CHECK(sums[k] == expected);
    CHECK(means[k] == Approx(expected / 50'000.0).epsilon(1e-15));
  }
}

TEST_CASE("loss summary: the same bits for any split and order of merging") {
  const auto losses = w1_losses(60'000, 23);
  const auto one = summary_of(losses, 1e-3, 200);
  // Uneven blocks, merged left to right, right to left, and as a tree.
  const std::vector<std::size_t> cuts{0, 1, 7'000, 7'001, 30'000, 59'999, 60'000};
  std::vector<loss_summary> parts;
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
    loss_summary p(1e-3, 200);
    p.add(std::span<const double>(losses).subspan(cuts[i], cuts[i + 1] - cuts[i]));
    parts.push_back(p);
  }
  loss_summary forward(1e-3, 200), backward(1e-3, 200);
  for (const auto& p : parts) forward.merge(p);
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) backward.merge(*it);
  loss_summary left = parts[0], right = parts[3];
  left.merge(parts[1]).merge(parts[2]);
  right.merge(parts[4]).merge(parts[5]);
  right.merge(left);
  for (const auto* m : {&forward, &backward, &right}) {
    CHECK(m->serialise() == one.serialise());
    CHECK(m->mean() == one.mean());
    CHECK(m->standard_deviation() == one.standard_deviation());
    CHECK(m->value_at_risk(0.99) == one.value_at_risk(0.99));
    CHECK(m->tail_value_at_risk(0.95) == one.tail_value_at_risk(0.95));
  }
  // An empty summary is the identity; a summary merged with itself counts twice.
  loss_summary twice = one;
  twice.merge(loss_summary(1e-3, 200)).merge(twice);
  CHECK(twice.trials() == 120'000);
  CHECK(twice.value_at_risk(0.99) == one.value_at_risk(0.99));
}

TEST_CASE("loss summary: serialised and read back, bit for bit") {
  const auto w1 = continuity::run(continuity_test::w1_portfolio(), 20'000, 29);
  loss_summary s(1e-3, 50, w1.breakdown_names);
  s.add(std::span<const double>(w1.annual_loss.data(), 20'000),
        std::span<const double>(w1.breakdown.data(), static_cast<std::size_t>(w1.breakdown.size())));
  const std::string bytes = s.serialise();
  const auto back = loss_summary::deserialise(bytes);
  CHECK(back.serialise() == bytes);
  CHECK(back.column_names() == s.column_names());
  CHECK(back.tail_value_at_risk(0.9) == s.tail_value_at_risk(0.9));
  CHECK(back.column_sums() == s.column_sums());
  // A read-back summary takes more trials as the original does.
  loss_summary more = back, more_original = s;
  const auto extra = w1_losses(100, 31);
  const std::vector<double> no_columns(300, 1.0);
  more.add(extra, no_columns);
  more_original.add(extra, no_columns);
  CHECK(more.serialise() == more_original.serialise());

  using continuity::value_error;
  CHECK_THROWS_AS(loss_summary::deserialise(bytes.substr(0, bytes.size() - 1)), value_error);
  CHECK_THROWS_AS(loss_summary::deserialise(bytes + "x"), value_error);
  CHECK_THROWS_WITH(loss_summary::deserialise("not a summary"),
                    Catch::Contains("loss summary: state: not a serialised loss summary"));
  std::string wrong_count = bytes;
  wrong_count[wrong_count.find("outage") + 6 + 8] ^= 1; // the number of trials
  CHECK_THROWS_AS(loss_summary::deserialise(wrong_count), value_error);
}

TEST_CASE("loss summary: errors name the field") {
  using Catch::Contains;
  using continuity::value_error;
  CHECK_THROWS_WITH(loss_summary(0.0), Contains("loss summary: relative_accuracy: must be from"));
  CHECK_THROWS_AS(loss_summary(1e-6), value_error);
  CHECK_THROWS_AS(loss_summary(std::nan("")), value_error);
  CHECK_THROWS_AS(loss_summary(1.5), value_error);
  CHECK_NOTHROW(loss_summary(1.0));

  loss_summary a(1e-3, 10), b(1e-2, 10), c(1e-3, 20), d(1e-3, 10, {"category:legal"});
  CHECK_THROWS_WITH(a.merge(b), Contains("relative_accuracy: cannot merge summaries of relative "
                                         "accuracy 0.001 and 0.01"));
  CHECK_THROWS_WITH(a.merge(c), Contains("loss summary: tail: cannot merge"));
  CHECK_THROWS_WITH(a.merge(d), Contains("loss summary: columns: cannot merge"));

  CHECK_THROWS_WITH(a.quantile(0.5), Contains("loss summary: trials: has no trials"));
  CHECK(std::isnan(a.mean()));
  a.add(std::vector<double>{1.0, 2.0});
  CHECK_THROWS_WITH(a.quantile(1.5), Contains("loss summary: level: must be in [0, 1], got 1.5"));
  CHECK_THROWS_AS(a.tail_value_at_risk(-0.1), value_error);
  CHECK_THROWS_AS(a.value_at_risk(std::nan("")), value_error);

  // A bad value adds nothing.
  CHECK_THROWS_WITH(a.add(std::vector<double>{3.0, -1.0}),
                    Contains("loss summary: losses[1]: must be finite and >= 0, got -1"));
  CHECK_THROWS_WITH(a.add(std::vector<double>{INFINITY}), Contains("losses[0]"));
  CHECK(a.trials() == 2);
  CHECK_THROWS_WITH(d.add(std::vector<double>{1.0}, std::vector<double>{NAN}),
                    Contains("loss summary: columns.category:legal: must be finite, got nan"));
  CHECK_THROWS_WITH(d.add(std::vector<double>{1.0}), Contains("columns: holds 0 values"));
  CHECK(d.trials() == 0);
}

} // namespace loss_summary_test
