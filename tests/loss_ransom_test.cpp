// Tests of the ransom decision (model/ransom.hpp, recovery/ransom_outcome.hpp,
// loss/ransom_decision.hpp): a working key gives the data back whole but the
// recovery waits for it; the ransom's cost lines at point values and in a
// simulation against hand computations; the two policies on common random
// numbers; validation and the JSON round trip.
#include <continuity/io/json.hpp>
#include <continuity/loss.hpp>
#include <continuity/recovery.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <string>

namespace ransom_test {

using json = nlohmann::json;

// A clinic whose billing needs one records system: 100,000 yen of revenue an
// hour at a margin of 1/2 (50,000 an hour of lost profit), rebuilt in 20 h by
// one IT person; a nightly offline backup (24 h of data lost: 240 records,
// re-entered at 1,000 yen each). The attacker demands 5 m; a key arrives
// after 48 h and decrypts in 10 h.
json clinic(bool pay, double key_works) {
  json j = json::parse(R"({
    "name": "clinic", "currency": "JPY", "resources": [{"name": "IT", "capacity": 1}],
    "functions": [{"name": "billing", "needs": ["records"], "revenue_per_day": 2400000, "margin": 0.5}],
    "systems": [{"name": "records", "transactions_per_hour": 10, "reentry_hours_per_transaction": 0.1,
                 "backups": [{"interval": 24, "generations": 7, "mode": "offline", "restore_time": 6}],
                 "recovery": {"emergency": [
                   {"name": "rebuild", "kind": "recovery_work", "duration": 20, "needs": ["IT"]}]}}],
    "scenarios": [{"name": "ransomware", "kind": "ransomware", "annual_frequency": 0.5,
                   "damage": [{"systems": ["records"]}],
                   "costs": [{"name": "re-entry", "driver": "per_lost_record", "amount": 1000}],
                   "ransom": {"demand": 5000000, "key_arrival": 48, "decryption": 10,
                              "leak_if_paid": 0.25, "leak_if_not_paid": 0.75, "leak_cost": 4000000,
                              "sanctions_probability": 0.1, "sanctions_cost": 20000000}}]})");
  j["scenarios"][0]["ransom"]["pay"] = pay;
  j["scenarios"][0]["ransom"]["key_works"] = key_works;
  return j;
}

// Hand computation of one incident's cost (yen).
constexpr double profit_per_hour = 50000;
constexpr double restored = 20 * profit_per_hour + 240 * 1000.0; // 1.24 m: rebuilt at once, re-entry
constexpr double decrypted = (48 + 10 + 20) * profit_per_hour;   // 3.9 m: waits for key and decryption
constexpr double demand = 5e6, leak = 4e6, sanctions = 20e6;

// Expected cost of one incident under each policy, key working with chance q.
double expected_paid(double q) { return demand + q * decrypted + (1 - q) * restored + 0.25 * leak + 0.1 * sanctions; }
double expected_restored() { return restored + 0.75 * leak; }

continuity::model clinic_model(bool pay, double key_works) {
  return continuity::model(continuity::read_model_spec(clinic(pay, key_works)));
}

} // namespace ransom_test

using namespace ransom_test;

TEST_CASE("a working key gives the data back whole, after the key and the decryption") {
  const auto restore = clinic_model(false, 1);
  const auto plan = continuity::plan_recovery(restore, "ransomware");
  REQUIRE(plan.project.situation().ransom);
  CHECK_FALSE(plan.project.situation().ransom->paid);
  CHECK(plan.project.situation().data[0].rpo == 24);
  CHECK(plan.project.lost_records(0) == 240);
  CHECK(plan.outcome.functions[0].lost_profit == Approx(20 * profit_per_hour));

  const auto pay = clinic_model(true, 1);
  const auto paid = continuity::plan_recovery(pay, "ransomware");
  const auto& sit = paid.project.situation();
  REQUIRE(sit.ransom);
  CHECK(sit.ransom->paid);
  CHECK(sit.ransom->key_works);
  CHECK(sit.ransom->key_arrival == 48);
  CHECK(sit.data[0].decrypted);
  CHECK_FALSE(sit.data[0].data_destroyed);
  CHECK(sit.data[0].rpo == 0);
  CHECK(paid.project.lost_records(0) == 0);
  CHECK(paid.outcome.functions[0].lost_profit == Approx(decrypted));
  // No data gap once the data are decrypted.
  for (const auto& g : continuity::find_gaps(pay, paid).gaps)
    CHECK(g.kind != continuity::gap_kind::rpo);

  // A key that works with a chance below 1/2 is taken as not working in a
  // single plan: the recovery is the restore's, and the payment is spent.
  const auto doubtful = clinic_model(true, 0.4);
  const auto no_key = continuity::plan_recovery(doubtful, "ransomware");
  CHECK_FALSE(no_key.project.situation().ransom->key_works);
  CHECK(no_key.outcome.functions[0].lost_profit == Approx(20 * profit_per_hour));
}

TEST_CASE("the ransom's cost lines at point values") {
  const auto pay = clinic_model(true, 1);
  const auto cost = continuity::cost_of_incident(pay, 0, continuity::plan_recovery(pay, "ransomware"));
  const auto names = continuity::cost_line_names(pay, 0);
  REQUIRE(names.size() == 6);
  CHECK(names[1] == "ransom payment");
  CHECK(names[2] == "data leak");
  CHECK(names[3] == "sanctions");
  CHECK(cost.by_line[0] == 0);                     // nothing to re-enter
  CHECK(cost.by_line[1] == Approx(demand));        // response
  CHECK(cost.by_line[2] == Approx(0.25 * leak));   // expected leak: liability
  CHECK(cost.by_line[3] == Approx(0.1 * sanctions)); // expected sanctions: legal
  CHECK(cost.total == Approx(expected_paid(1)));
  using continuity::cost_category;
  CHECK(cost.by_category[static_cast<std::size_t>(cost_category::legal)] == Approx(0.1 * sanctions));
  CHECK(cost.by_category[static_cast<std::size_t>(cost_category::liability)] == Approx(0.25 * leak));

  const auto restore = clinic_model(false, 1);
  const auto rc = continuity::cost_of_incident(restore, 0, continuity::plan_recovery(restore, "ransomware"));
  CHECK(rc.by_line[0] == Approx(240 * 1000.0));
  CHECK(rc.by_line[1] == 0);
  CHECK(rc.by_line[3] == 0);
  CHECK(rc.total == Approx(expected_restored()));
}

TEST_CASE("simulated incidents: the key works with its chance, the lines follow") {
  const auto pay = clinic_model(true, 0.6);
  const continuity::incident_simulation<double> sim(pay);
  const int n = 4000;
  int worked = 0, leaked = 0, sanctioned = 0;
  auto ignore = [](const continuity::incident_input&, double) {};
  for (int t = 0; t < n; ++t) {
    const auto c = sim.sample_occurrence(0, 99, static_cast<std::uint64_t>(t), 0, ignore);
    const bool key = c.by_line[0] == 0; // nothing to re-enter: decrypted
    worked += key;
    // The lost profit is the decrypted recovery's or the restore's, nothing else.
    CHECK(c.by_line[4] == Approx(key ? decrypted : 20 * profit_per_hour));
    CHECK(c.by_line[1] == demand);
    leaked += c.by_line[2] > 0;
    sanctioned += c.by_line[3] > 0;
    CHECK((c.by_line[2] == 0 || c.by_line[2] == leak));
    CHECK((c.by_line[3] == 0 || c.by_line[3] == sanctions));
  }
  // Binomial shares within 4 standard errors.
  auto within = [&](int count, double p) {
    return std::abs(count / double(n) - p) <= 4 * std::sqrt(p * (1 - p) / n);
  };
  CHECK(within(worked, 0.6));
  CHECK(within(leaked, 0.25));
  CHECK(within(sanctioned, 0.1));
}

TEST_CASE("pay or restore on common random numbers, against the expected costs") {
  const auto m = clinic_model(false, 0.6);
  const std::uint64_t trials = 20000;
  const auto d = continuity::compare_ransom_policies(m, trials, 7);
  REQUIRE(d.scenarios == std::vector<std::string>{"ransomware"});
  REQUIRE(d.pay.trials() == trials);
  const auto& names = d.pay.breakdown_names;
  auto column = [&](const std::string& name) {
    const auto it = std::find(names.begin(), names.end(), name);
    REQUIRE(it != names.end());
    return static_cast<Eigen::Index>(it - names.begin());
  };
  const auto events = column("events:ransomware"), leak_line = column("line:ransomware/data leak");
  // The same incidents in both runs, and the same leak draw: a leak when
  // paying (chance 1/4) is a leak when not paying (3/4) as well.
  CHECK((d.pay.breakdown.col(events) == d.restore.breakdown.col(events)).all());
  for (Eigen::Index t = 0; t < d.pay.breakdown.rows(); ++t)
    if (d.pay.breakdown(t, leak_line) > 0) CHECK(d.restore.breakdown(t, leak_line) > 0);
  // Means against λ × the expected cost of an incident, within 4 standard errors.
  const double lambda = 0.5;
  const continuity::loss_statistics<double> pay_loss(d.pay.annual_loss), restore_loss(d.restore.annual_loss);
  CHECK(std::abs(pay_loss.mean() - lambda * expected_paid(0.6)) <= 4 * pay_loss.standard_error());
  CHECK(std::abs(restore_loss.mean() - lambda * expected_restored()) <= 4 * restore_loss.standard_error());
  const double diff = lambda * (expected_paid(0.6) - expected_restored());
  CHECK(std::abs(d.difference.mean - diff) <= 4 * d.difference.standard_error);
  CHECK(d.difference.mean == Approx(pay_loss.mean() - restore_loss.mean()).epsilon(1e-9));
  // Pairing makes the difference far more precise than two independent runs.
  CHECK(d.difference.standard_error <
        0.8 * std::hypot(pay_loss.standard_error(), restore_loss.standard_error()));
  // Years without an incident cost nothing either way: paying is cheaper or
  // dearer only in years with one.
  const double quiet = (d.pay.breakdown.col(events) == 0).cast<double>().mean();
  CHECK(d.pay_cheaper + d.pay_dearer <= 1 - quiet + 1e-12);
  CHECK(d.pay_dearer > d.pay_cheaper);
  // The same seed, the same decision.
  const auto again = continuity::compare_ransom_policies(m, 500, 7);
  CHECK((again.pay.annual_loss == d.pay.annual_loss.head(500)).all());
}

TEST_CASE("ransom terms: validation names the field; JSON round trip") {
  using continuity::read_model_spec;
  auto quake = clinic(true, 1);
  quake["scenarios"][0]["kind"] = "earthquake";
  CHECK_THROWS_WITH(continuity::model(read_model_spec(quake)),
                    Catch::Contains("ransom") && Catch::Contains("only a ransomware scenario"));
  CHECK_THROWS_AS(continuity::model(read_model_spec(clinic(true, 1.5))), continuity::value_error);
  CHECK_THROWS_WITH(continuity::model(read_model_spec(clinic(true, 1.5))),
                    Catch::Contains("ransom.key_works"));
  auto missing = clinic(true, 1);
  missing["scenarios"][0]["ransom"].erase("demand");
  CHECK_THROWS_WITH(read_model_spec(missing), Catch::Contains("ransom.demand") && Catch::Contains("required"));
  auto negative = clinic(true, 1);
  negative["scenarios"][0]["ransom"]["leak_cost"] = -1;
  CHECK_THROWS_WITH(continuity::model(read_model_spec(negative)), Catch::Contains("ransom.leak_cost"));
  auto unknown = clinic(true, 1);
  unknown["scenarios"][0]["ransom"]["paid"] = true;
  CHECK_THROWS_WITH(read_model_spec(unknown), Catch::Contains("ransom.paid"));
  auto clash = clinic(true, 1);
  clash["scenarios"][0]["costs"][0]["name"] = "sanctions";
  CHECK_THROWS_AS(continuity::model(read_model_spec(clash)), continuity::duplicate_error);
  // No ransom terms: no decision to compare.
  auto plain = clinic(true, 1);
  plain["scenarios"][0].erase("ransom");
  CHECK_THROWS_WITH(continuity::compare_ransom_policies(continuity::model(read_model_spec(plain)), 10, 1),
                    Catch::Contains("ransom terms"));

  auto j = clinic(true, 0.6);
  j["scenarios"][0]["ransom"]["key_arrival"] = json::parse(R"({"pert": ["2d", "4d", "3w"]})");
  const auto spec = read_model_spec(j);
  const auto back = read_model_spec(continuity::to_json(spec));
  REQUIRE(back.scenarios[0].ransom);
  CHECK(*back.scenarios[0].ransom == *spec.scenarios[0].ransom);
  CHECK(back.scenarios[0].ransom->key_arrival.mean() == Approx((48 + 4 * 96 + 21 * 24) / 6.0));
}
