// Tests of the 松竹梅 dependency tier (model/dependency_tier.hpp): the default
// system dependency of business functions, the recommended measures, the
// in-house IT pool from the head count against the published table of
// docs/domain.md §9, validation and the JSON round trip.
#include <continuity/io/json.hpp>
#include <continuity/model.hpp>

#include <catch2/catch.hpp>

#include <string>

namespace tier_test {

using json = nlohmann::json;

json office(const char* matrix) {
  return json::parse(std::string(R"({"name": "office", "priority_matrix": ")") + matrix + R"(",
    "functions": [{"name": "sales", "importance": 2, "needs": ["pc"]},
                  {"name": "payroll", "importance": 2, "system_dependency": 1, "needs": ["pc"]}],
    "systems": [{"name": "pc"}]})");
}

continuity::model office_model(json j) { return continuity::model(continuity::read_model_spec(j)); }

} // namespace tier_test

using namespace tier_test;

TEST_CASE("the tier sets the default system dependency; a function's own wins") {
  for (auto [tier, matrix, expected] :
       {std::tuple{"pine", "three-level", 3}, {"松", "three-level", 3}, {"bamboo", "three-level", 2},
        {"竹", "five-level", 3}, {"plum", "five-level", 1}, {"梅", "three-level", 1}}) {
    auto j = office(matrix);
    j["tier"] = tier;
    const auto m = office_model(j);
    CHECK(m.function_at(0).system_dependency == expected);
    CHECK(m.function_at(1).system_dependency == 1);
  }
  // Without a tier: level 1, as before.
  CHECK(office_model(office("three-level")).function_at(0).system_dependency == 1);
}

TEST_CASE("each tier recommends its own measures") {
  using continuity::dependency_tier;
  const auto pine = continuity::recommended_measures(dependency_tier::pine);
  const auto plum = continuity::recommended_measures(dependency_tier::plum);
  REQUIRE_FALSE(pine.empty());
  REQUIRE_FALSE(plum.empty());
  CHECK(pine[0].find("ISMS") != std::string_view::npos);
  bool external_media = false;
  for (auto m : plum) external_media = external_media || m.find("external media") != std::string_view::npos;
  CHECK(external_media);
  CHECK(continuity::parse_dependency_tier("竹") == dependency_tier::bamboo);
  CHECK_FALSE(continuity::parse_dependency_tier("oak"));
}

TEST_CASE("the in-house IT pool follows the head count (docs/domain.md §9)") {
  // The survey: 3.9 IT staff below 100 employees, 4.1 to 500, 9.8 to 1,000,
  // 21.0 to 3,000, 95.4 to 5,000, 98.2 to 10,000, 112.8 above.
  for (auto [employees, staff] : {std::pair{1LL, 4}, {50LL, 4}, {99LL, 4}, {100LL, 4}, {500LL, 4},
                                  {501LL, 10}, {1000LL, 10}, {2000LL, 21}, {4000LL, 95},
                                  {10000LL, 98}, {10001LL, 113}}) {
    CHECK(continuity::typical_it_staff(employees) == staff);
    auto j = office("three-level");
    j["employees"] = employees;
    const auto m = office_model(j);
    REQUIRE(m.resources().size() == 1);
    CHECK(m.resources()[0].name == "IT staff");
    CHECK(m.resources()[0].capacity == staff);
  }
  // Pools given: the head count does not touch them.
  auto j = office("three-level");
  j["employees"] = 5000;
  j["resources"] = json::parse(R"([{"name": "IT staff", "capacity": 2}])");
  CHECK(office_model(j).resources()[0].capacity == 2);
  // Not given: one person.
  CHECK(office_model(office("three-level")).resources()[0].capacity == 1);
}

TEST_CASE("tier and head count: errors name the field; JSON round trip") {
  auto j = office("three-level");
  j["tier"] = "oak";
  CHECK_THROWS_WITH(continuity::read_model_spec(j), Catch::Contains("tier") && Catch::Contains("松"));
  j = office("three-level");
  j["employees"] = -3;
  CHECK_THROWS_WITH(office_model(j), Catch::Contains("employees"));
  j["employees"] = 2.5;
  CHECK_THROWS_WITH(continuity::read_model_spec(j), Catch::Contains("employees"));
  j = office("three-level");
  j["tier"] = "梅";
  j["employees"] = 12;
  const auto spec = continuity::read_model_spec(j);
  const auto text = continuity::to_json(spec);
  CHECK(text["tier"] == "plum");
  CHECK(text["employees"] == 12);
  CHECK(continuity::read_model_spec(text) == spec);
}
