// Tests of the model's checks for a name given twice in a long list (cost
// lines, response phases, the pools of a staff_availability, the recovery
// order, insurance policies and the scenarios a policy lists): each finds a
// duplicate at the end of 20,000 names and names it. The checks keep hash
// sets of the names seen, so they are linear in the names (they compared
// every pair: 2.2 s for 20,000 cost lines, minutes for 10^5);
// benchmarks/python/name_checks.py prints how reading such lists grows.
#include <continuity/io/json.hpp>

#include <catch2/catch.hpp>

#include "support/json_text.hpp"

#include <string>

namespace name_checks_test {

using json = nlohmann::json;

constexpr int many = 20'000;

// A valid model with `systems` systems s0 ... and `scenarios` scenarios t0 ...
json base(int systems = many, int scenarios = 1) {
  json j = json::parse(R"({"name": "names", "resources": [{"name": "IT", "capacity": 1}],
    "functions": [{"name": "f", "needs": ["s0"]}]})");
  for (int i = 0; i < systems; ++i) j["systems"].push_back({{"name", "s" + std::to_string(i)}});
  for (int i = 0; i < scenarios; ++i)
    j["scenarios"].push_back({{"name", "t" + std::to_string(i)},
                              {"kind", "it_failure"},
                              {"damage", json::array({{{"systems", {"s0"}}}})}});
  return j;
}

// `many` objects {"name": "<prefix><i>", ...extra}, then the first one again.
json named_twice(const std::string& prefix, const json& extra = json::object()) {
  json a = json::array();
  for (int i = 0; i <= many; ++i) {
    json o = extra;
    o["name"] = prefix + std::to_string(i % many);
    a.push_back(o);
  }
  return a;
}

template <class E>
void check_error(const json& j, const std::string& kind, const std::string& name,
                 const std::string& field, const std::string& fragment) {
  continuity_test::check_names(continuity_test::thrown_by_json<E>(j), kind, name, field,
                               {fragment});
}

} // namespace name_checks_test

TEST_CASE("a name given twice at the end of 20,000 is found and named") {
  using namespace name_checks_test;
  const std::string last = std::to_string(many);

  json j = base();
  j["scenarios"][0]["costs"] = named_twice("c", {{"driver", "fixed"}, {"amount", 1}});
  check_error<continuity::duplicate_error>(j, "incident scenario", "t0",
                                           "costs[" + last + "] ('c0').name", "another cost line");

  j = base();
  j["scenarios"][0]["response"] = named_twice("p", {{"at", 1}});
  check_error<continuity::value_error>(j, "incident scenario", "t0",
                                       "response[" + last + "].name", "'p0' is also response[0]");

  j = base();
  for (int i = 0; i <= many; ++i) j["recovery_order"].push_back("s" + std::to_string(i % many));
  check_error<continuity::duplicate_error>(j, "model", "names", "recovery_order[" + last + "]",
                                           "'s0' is listed twice");

  j = base();
  j["insurance"] = named_twice("policy ");
  check_error<continuity::duplicate_error>(j, "insurance policy", "policy 0", "name",
                                           "another insurance policy");

  j = base(1, many);
  j["insurance"] = json::array({{{"name", "cyber"}}});
  for (int i = 0; i <= many; ++i)
    j["insurance"][0]["scenarios"].push_back("t" + std::to_string(i % many));
  check_error<continuity::duplicate_error>(j, "insurance policy", "cyber",
                                           "scenarios[" + last + "]", "lists 't0' twice");

  // A JSON object cannot give a pool twice; a specification built in code can.
  auto spec = continuity::read_model_spec(base());
  for (int i = 0; i < many; ++i) {
    spec.resources.push_back({"r" + std::to_string(i), continuity::resource_kind::people, 1});
    spec.scenarios[0].pools_available.push_back({"r" + std::to_string(i), 0.5});
  }
  spec.scenarios[0].pools_available.push_back({"r0", 0.5});
  continuity_test::check_names(continuity_test::thrown_by_spec<continuity::duplicate_error>(spec),
                               "incident scenario", "t0", "staff_availability['r0']",
                               {"listed twice"});
  spec.scenarios[0].pools_available.pop_back();
  spec.scenarios[0].staff_availability = 0.8;
  const continuity::model m(spec);
  // Each pool takes its own share (pool 0 is "IT", then r0 ...).
  CHECK(m.pool_availability(0, 0) == 0.8);
  CHECK(m.pool_availability(0, 1) == 0.5);
  CHECK(m.pool_availability(0, many) == 0.5);
}
