// Tests of the published distribution presets (model/published_distributions.hpp):
// they reproduce the surveys' shares (the figures typed here from the
// National Police Agency's publications, independently of the preset), a
// simulation follows them, and the model format reads them by name.
#include <continuity/io/json.hpp>
#include <continuity/loss.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <string>

namespace published_test {

// P(X <= edge) of a preset's histogram at each published bound against the
// cumulative published shares.
void check_cumulative(const continuity::histogram<double>& h, const std::vector<double>& bounds,
                      const std::vector<double>& cumulative) {
  for (std::size_t k = 0; k < bounds.size(); ++k) CHECK(h.cdf(bounds[k]) == Approx(cumulative[k]));
}

} // namespace published_test

using namespace published_test;

TEST_CASE("the police survey presets reproduce the published shares") {
  const auto cost = continuity::to_histogram(*continuity::find_published_distribution("npa_ransomware_cost_2022h2"));
  // Second half of 2022: under ¥1 m 24 %, ¥1-5 m 16 %, ¥5-10 m 14 %, ¥10-50 m 33 %, more 13 %.
  check_cumulative(cost, {1e6, 5e6, 1e7, 5e7}, {0.24, 0.40, 0.54, 0.87});
  CHECK(cost.cdf(1e5) == 0);
  CHECK(cost.quantile(1) == 5e8);
  // First half of 2025, over those who had recovered (74 % of the answers):
  // within a week 21, to a month 32, to two months 15, longer 6.
  const auto recovery =
      continuity::to_histogram(*continuity::find_published_distribution("npa_ransomware_recovery_2025h1"));
  check_cumulative(recovery, {168, 720, 1440}, {21.0 / 74, 53.0 / 74, 68.0 / 74});
  CHECK(recovery.quantile(1) == 4380);
  // Sampled shares within 4 standard errors.
  continuity::trial_engine e(7, 0, 11);
  const int n = 100000;
  int under_1m = 0, over_50m = 0;
  for (int i = 0; i < n; ++i) {
    const double x = cost(e);
    under_1m += x < 1e6;
    over_50m += x >= 5e7;
  }
  CHECK(std::abs(under_1m / double(n) - 0.24) <= 4 * std::sqrt(0.24 * 0.76 / n));
  CHECK(std::abs(over_50m / double(n) - 0.13) <= 4 * std::sqrt(0.13 * 0.87 / n));
}

TEST_CASE("a top-down ransomware scenario with the police cost preset") {
  // {"histogram": "<preset>"} in the model format; written back in full.
  const auto j = nlohmann::json::parse(R"({"histogram": "npa_ransomware_cost_2022h2"})");
  const auto d = continuity::detail::read_distribution<double>(j, false, [](const std::string& p) {
    throw continuity::value_error("test", "", "loss", p);
  });
  REQUIRE(d.holds<continuity::histogram<double>>());
  const auto back = continuity::detail::write_distribution(d);
  CHECK(back["histogram"]["scale"] == "log");
  CHECK(back["histogram"]["edges"].size() == 6);
  CHECK_THROWS_WITH(continuity::detail::read_distribution<double>(
                        nlohmann::json::parse(R"({"histogram": "npa_2019"})"), false,
                        [](const std::string& p) { throw continuity::value_error("test", "", "loss", p); }),
                    Catch::Contains("npa_ransomware_cost_2022h2"));
  CHECK_THROWS_WITH(continuity::detail::read_distribution<double>(
                        nlohmann::json::parse(R"({"histogram": {"edges": [1, 2], "probabilities": [1], "scale": "cubic"}})"), false,
                        [](const std::string& p) { throw continuity::value_error("test", "", "loss", p); }),
                    Catch::Contains("scale"));
  // The mean annual loss of a top-down scenario at 0.3 a year: 0.3 × the preset's mean.
  continuity::scenario_portfolio<double> portfolio;
  portfolio.add(continuity::loss_scenario<double>("ransomware (police survey)", continuity::poisson<double>(0.3), d));
  const auto r = continuity::run(portfolio, 200000, 5);
  const continuity::loss_statistics<double> s(r.annual_loss);
  CHECK(std::abs(s.mean() - 0.3 * d.mean()) <= 4 * s.standard_error());
}
