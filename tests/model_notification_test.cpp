// Tests of notification duties (model/notification.hpp): the Japanese
// presets, deadlines from detection, the two cost lines at point values and
// simulated, the notification_late gap, validation and the JSON round trip.
#include <continuity/io/json.hpp>
#include <continuity/loss.hpp>
#include <continuity/recovery.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <string>

namespace notification_test {

using json = nlohmann::json;

// A shop whose one system takes 10 h to restore; detected after 2 h, but
// the response timeline only knows at 10 h that data may have leaked.
json shop(const json& notifications) {
  json j = json::parse(R"({
    "name": "shop", "resources": [{"name": "IT", "capacity": 1}],
    "functions": [{"name": "sales", "needs": ["site"], "revenue_per_day": 240000, "margin": 0.5}],
    "systems": [{"name": "site", "recovery": {"emergency": [
      {"name": "fix", "kind": "recovery_work", "duration": 10, "needs": ["IT"]}]}}],
    "scenarios": [{"name": "breach", "kind": "data_breach", "detection_time": 2,
                   "response": [{"name": "leak confirmed", "kind": "detection", "at": 10}],
                   "damage": [{"systems": ["site"]}]}]})");
  j["scenarios"][0]["notifications"] = notifications;
  return j;
}

continuity::model shop_model(const json& notifications) {
  return continuity::model(continuity::read_model_spec(shop(notifications)));
}

} // namespace notification_test

using namespace notification_test;

TEST_CASE("notification presets follow the Japanese rules, and fields override them") {
  const auto m = shop_model(json::parse(R"([
    {"preset": "appi_preliminary", "at": "4d"},
    {"preset": "appi_final", "at": "20d"},
    {"preset": "appi_final_malicious", "name": "final report", "at": "50d"},
    {"preset": "appi_individuals", "at": "1d"},
    {"preset": "police", "at": "3d", "due": "2d", "to": "Tokyo police"}])"));
  const auto& d = m.scenario_at(0).notifications;
  REQUIRE(d.size() == 5);
  CHECK(d[0].name == "appi_preliminary");
  CHECK(d[0].to.find("個人情報保護委員会") != std::string::npos);
  CHECK(d[0].due == 5 * 24);  // about 3 to 5 days: the outer bound
  CHECK(d[1].due == 30 * 24); // enforcement rules art. 8(2)
  CHECK(d[2].name == "final report");
  CHECK(d[2].due == 60 * 24); // an unlawful purpose: 60 days
  CHECK(std::isinf(d[3].due)); // "promptly": no fixed deadline
  CHECK(d[4].due == 48);
  CHECK(d[4].to == "Tokyo police");
  CHECK(d[0].description.find("art. 8(1)") != std::string::npos);
  // Deadlines count from the detection: the later of the detection time
  // (2 h) and the response timeline's detection phase (10 h).
  const auto& sc = m.scenario_at(0);
  CHECK(sc.detected_at() == 10);
  CHECK_FALSE(sc.is_late(d[0])); // 96 h against 10 + 120 h
  CHECK_FALSE(sc.is_late(d[3])); // no deadline
  CHECK(sc.is_late(d[4]));       // 72 h against 10 + 48 h
}

TEST_CASE("late notifications: the gap names the duty; the cost lines at point values") {
  // Preliminary report planned at 6 days: its deadline is 10 h + 5 days.
  const auto m = shop_model(json::parse(R"([
    {"preset": "appi_preliminary", "at": "6d", "cost": 100000,
     "penalty_probability": 0.25, "penalty": 2000000},
    {"name": "customers", "at": "1d", "cost": {"pert": [100000, 300000, 800000]},
     "penalty_probability": 1, "penalty": 9000000}])"));
  const auto plan = continuity::plan_recovery(m, "breach");
  const auto report = continuity::find_gaps(m, plan);
  int late = 0;
  for (const auto& g : report.gaps) {
    if (g.kind != continuity::gap_kind::notification_late) continue;
    ++late;
    CHECK(g.objective == 10 + 5 * 24);
    CHECK(g.achieved == 6 * 24);
    CHECK(g.function == continuity::no_index);
    CHECK(g.message.find("'appi_preliminary'") != std::string::npos);
    CHECK(g.message.find("after 6.0 d") != std::string::npos);
    CHECK(g.message.find("due 5.0 d after detection (5.4 d after the incident)") != std::string::npos);
  }
  CHECK(late == 1); // "customers" has no deadline: never late
  const auto cost = continuity::cost_of_incident(m, 0, plan);
  const auto names = continuity::cost_line_names(m, 0);
  REQUIRE(names.size() == 4);
  CHECK(names[0] == "notifications");
  CHECK(names[1] == "late notifications");
  // 100,000 + PERT mean (100 + 4 × 300 + 800) / 6 thousand; a quarter of 2 m.
  CHECK(cost.by_line[0] == Approx(100000 + 350000));
  CHECK(cost.by_line[1] == Approx(0.25 * 2000000));
  using continuity::cost_category;
  CHECK(cost.by_category[static_cast<std::size_t>(cost_category::legal)] == Approx(500000));
  // Lost profit: 10,000 an hour × 0.5 × 20 h (the work starts when the leak
  // is confirmed at 10 h and takes 10 h).
  CHECK(cost.total == Approx(450000 + 500000 + 5000 * 20));
}

TEST_CASE("simulated notifications: sanctions with their chance, costs with their mean") {
  const auto m = shop_model(json::parse(R"([
    {"preset": "appi_preliminary", "at": "6d", "penalty_probability": 0.3,
     "penalty": {"uniform": [1000000, 3000000]}},
    {"name": "customers", "at": "1d", "cost": {"uniform": [100000, 500000]}}])"));
  const continuity::incident_simulation<double> sim(m);
  auto ignore = [](const continuity::incident_input&, double) {};
  const int n = 4000;
  int sanctioned = 0;
  double cost_sum = 0, penalty_sum = 0;
  for (int t = 0; t < n; ++t) {
    const auto c = sim.sample_occurrence(0, 5, static_cast<std::uint64_t>(t), 0, ignore);
    CHECK(c.by_line[0] >= 100000);
    CHECK(c.by_line[0] <= 500000);
    cost_sum += c.by_line[0];
    if (c.by_line[1] > 0) {
      ++sanctioned;
      penalty_sum += c.by_line[1];
      CHECK(c.by_line[1] >= 1000000);
      CHECK(c.by_line[1] <= 3000000);
    }
  }
  CHECK(std::abs(sanctioned / double(n) - 0.3) <= 4 * std::sqrt(0.3 * 0.7 / n));
  // Uniform(100k, 500k): mean 300k, sd 400k / √12.
  CHECK(std::abs(cost_sum / n - 300000) <= 4 * 400000 / std::sqrt(12.0 * n));
  CHECK(std::abs(penalty_sum / sanctioned - 2000000) <= 4 * 2000000 / std::sqrt(12.0 * sanctioned));
}

TEST_CASE("notification duties: validation names the field; JSON round trip") {
  using continuity::read_model_spec;
  CHECK_THROWS_WITH(read_model_spec(shop(json::parse(R"([{"preset": "gdpr", "at": 1}])"))),
                    Catch::Contains("notifications[0].preset") && Catch::Contains("appi_final"));
  CHECK_THROWS_WITH(read_model_spec(shop(json::parse(R"([{"preset": "police"}])"))),
                    Catch::Contains("notifications[0].at") && Catch::Contains("required"));
  CHECK_THROWS_WITH(read_model_spec(shop(json::parse(R"([{"at": 1}])"))),
                    Catch::Contains("notifications[0].name"));
  CHECK_THROWS_AS(continuity::model(read_model_spec(shop(json::parse(
                      R"([{"name": "a", "at": 1}, {"name": "a", "at": 2}])")))),
                  continuity::duplicate_error);
  CHECK_THROWS_WITH(continuity::model(read_model_spec(shop(json::parse(
                        R"([{"name": "a", "at": 1, "cost": -5}])")))),
                    Catch::Contains("notifications[0] ('a').cost"));
  CHECK_THROWS_WITH(continuity::model(read_model_spec(shop(json::parse(
                        R"([{"name": "a", "at": 1, "penalty_probability": 2}])")))),
                    Catch::Contains("penalty_probability"));
  auto clash = shop(json::parse(R"([{"name": "a", "at": 1}])"));
  clash["scenarios"][0]["costs"] = json::parse(R"([{"name": "notifications", "amount": 1}])");
  CHECK_THROWS_AS(continuity::model(read_model_spec(clash)), continuity::duplicate_error);

  const auto spec = read_model_spec(shop(json::parse(R"([
    {"preset": "appi_individuals", "at": "1d", "cost": {"pert": [1, 2, 9]}},
    {"preset": "appi_final", "at": "29d", "penalty_probability": 0.5, "penalty": 7}])")));
  const auto text = continuity::to_json(spec);
  CHECK(text["scenarios"][0]["notifications"][0]["due"].is_null());
  const auto back = read_model_spec(text);
  CHECK(back.scenarios[0].notifications == spec.scenarios[0].notifications);
}
