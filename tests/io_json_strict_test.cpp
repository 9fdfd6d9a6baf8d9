// Tests of the strict JSON reading in continuity/io/json.hpp
// (parse_json_text): what nlohmann's parser accepts or reports without a
// line — a key given twice, a number beyond a double's range, nesting
// without end — is a parse_error naming the source and the line.
#include <continuity/io/json.hpp>

#include <catch2/catch.hpp>

#include "support/errors.hpp"

#include <optional>
#include <sstream>
#include <string>

namespace {

// The parse_error that reading `text` as "model.json" throws.
std::optional<continuity::parse_error> strict_parse_failure(const std::string& text) {
  return continuity_test::thrown<continuity::parse_error>(
      [&] { (void)continuity::parse_json_text(text, "model.json"); });
}

} // namespace

TEST_CASE("a key given twice in one object is a parse_error with its line") {
  // A second top-level "functions" array used to replace the first silently.
  const std::string text = "{\n"
                           "  \"name\": \"M\",\n"
                           "  \"functions\": [{\"name\": \"f\"}],\n"
                           "  \"systems\": [],\n"
                           "  \"functions\": [{\"name\": \"g\"}]\n"
                           "}\n";
  const auto e = strict_parse_failure(text);
  REQUIRE(e);
  CHECK(e->line() == 5);
  CHECK(e->source() == "model.json");
  CHECK(std::string(e->what()).find("duplicate key 'functions'") != std::string::npos);
  // Through the model reader too, before any validation.
  std::istringstream in(text);
  CHECK_THROWS_AS(continuity::read_model(in, "model.json"), continuity::parse_error);

  // Nested objects: the duplicate inside the inner object is found.
  const auto inner = strict_parse_failure("{\"a\": {\"x\": 1,\n\"x\": 2}}");
  REQUIRE(inner);
  CHECK(inner->line() == 2);
}

TEST_CASE("the same key in different objects is fine") {
  const auto j = continuity::parse_json_text(
      R"({"systems": [{"name": "a"}, {"name": "b"}], "name": "m", "x": {"name": "c"}})");
  CHECK(j["systems"][1]["name"] == "b");
  CHECK(j["x"]["name"] == "c");
  CHECK(j["name"] == "m");
}

TEST_CASE("a number beyond the range of a double is a parse_error with its line") {
  const auto e = strict_parse_failure("{\n  \"name\": \"M\",\n  \"x\": 1e309\n}");
  REQUIRE(e);
  CHECK(e->line() == 3);
  CHECK(std::string(e->what()).find("1e309") != std::string::npos);
}

TEST_CASE("nesting deeper than 256 levels is a parse_error, not a deep recursion") {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const auto e = strict_parse_failure(deep);
  REQUIRE(e);
  CHECK(e->line() == 1);
  CHECK(std::string(e->what()).find("deeper than 256") != std::string::npos);
  // 256 levels are fine.
  CHECK_NOTHROW(continuity::parse_json_text(std::string(256, '[') + std::string(256, ']')));
}

TEST_CASE("syntax errors keep their line and nlohmann's description") {
  const auto e = strict_parse_failure("{\"a\": [1,\n2,]}");
  REQUIRE(e);
  CHECK(e->line() == 2);
  CHECK(std::string(e->what()).find("unexpected ']'") != std::string::npos);
}

TEST_CASE("a key given twice among many keys of one object is found") {
  // Past 16 keys an object's keys are kept in a hash set (10^5 keys stay
  // linear); the duplicate is found there too, with its line.
  std::string text = "{\"name\": \"M\",\n\"x\": {";
  for (int i = 0; i < 20'000; ++i) text += "\"k" + std::to_string(i) + "\": 1,";
  text += "\n\"k17\": 2}}";
  const auto e = strict_parse_failure(text);
  REQUIRE(e);
  CHECK(e->line() == 3);
  CHECK(std::string(e->what()).find("duplicate key 'k17'") != std::string::npos);
  // A key given twice among the first 16, and a new object at the same depth.
  CHECK(strict_parse_failure("{\"a\": {\"k1\": 1, \"k2\": 1, \"k1\": 1}}"));
  const auto j = continuity::parse_json_text(R"({"a": {"k1": 1}, "b": {"k1": 2}})");
  CHECK(j["b"]["k1"] == 2);
}
