// Tests of cancelling the reading of a model (continuity/io/json.hpp:
// parse_json_text, read_model_spec, read_model; and the cancellable
// basic_model constructor): once the flag is set, each throws
// cancelled_error; until then the flag changes nothing.
#include <continuity/io/json.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <sstream>
#include <string>
#include <thread>

namespace json_cancel_test {

// A model whose one system has a recovery procedure of `steps` steps, each
// after the one before, as JSON text.
std::string long_procedure(int steps) {
  std::string t = R"({"name": "long", "functions": [{"name": "f", "needs": ["X"]}],
    "systems": [{"name": "X", "recovery": {"emergency": [)";
  for (int i = 0; i < steps; ++i) {
    if (i) t += ",";
    t += R"({"name": "s)" + std::to_string(i) + R"(", "kind": "recovery_work", "duration": 1)";
    if (i) t += R"(, "after": ["s)" + std::to_string(i - 1) + "\"]";
    t += "}";
  }
  return t + "]}}]}";
}

} // namespace json_cancel_test

TEST_CASE("a set cancellation flag stops parsing, reading and building a model") {
  using continuity::cancelled_error;
  const std::string text = json_cancel_test::long_procedure(2000); // 14,000 values
  const std::atomic<bool> go{false}, stop{true};

  const auto j = continuity::parse_json_text(text, "long.json", &go);
  CHECK(j == continuity::parse_json_text(text, "long.json"));
  CHECK_THROWS_AS(continuity::parse_json_text(text, "long.json", &stop), cancelled_error);
  CHECK_THROWS_WITH(continuity::parse_json_text(text, "long.json", &stop),
                    "parsing JSON was cancelled");
  // The flag is looked at every few thousand values: a small document is read.
  CHECK_NOTHROW(continuity::parse_json_text(R"({"name": "small"})", "small.json", &stop));

  const auto spec = continuity::read_model_spec(j, &go);
  CHECK(spec == continuity::read_model_spec(j));
  CHECK_THROWS_WITH(continuity::read_model_spec(j, &stop), "reading the model was cancelled");

  const continuity::model m(spec, &go);
  const continuity::model plain(spec);
  CHECK(m.spec() == plain.spec());
  CHECK(m.system_objectives().rto == plain.system_objectives().rto);
  CHECK_THROWS_WITH(continuity::model(spec, &stop), "building the model was cancelled");
  // A copy of a model built with a flag does not watch it.
  const continuity::model copy = m;
  CHECK(copy.spec() == m.spec());

  std::istringstream in(text);
  CHECK_THROWS_AS(continuity::read_model(in, "long.json", &stop), cancelled_error);
  std::istringstream again(text);
  CHECK(continuity::read_model(again, "long.json", &go).spec() == spec);
}

TEST_CASE("cancelling a model being read stops it with cancelled_error") {
  // 10^5 steps take a good part of a second to read and build (much longer
  // under the sanitizers); the flag is set 20 ms in.
  const std::string text = json_cancel_test::long_procedure(100'000);
  std::atomic<bool> stop{false};
  bool cancelled = false, finished = false;
  std::thread reader([&] {
    try {
      std::istringstream in(text);
      (void)continuity::read_model(in, "long.json", &stop);
      finished = true;
    } catch (const continuity::cancelled_error&) {
      cancelled = true;
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  stop = true;
  reader.join();
  CHECK(cancelled);
  CHECK_FALSE(finished);
}
