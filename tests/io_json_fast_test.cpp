// Tests of the fast model reader of continuity/io/json.hpp (parse_model_spec,
// read_model_spec of a stream, and so read_model and load_model): for every
// text, valid or not, it must give what the strict reader gives,
// read_model_spec(parse_json_text(text)) — the same specification, or an
// error of the same class with the same message (object, field, line). The
// texts: the examples, a model with every kind of object, every prefix of
// it, every value of it replaced by values of other types, every member
// removed, unknown and duplicate keys in every object, and numbers, strings
// and nesting at the edges of what either parser reads. And the writer that
// streams a model element by element (write_model, save_model) against the
// text of its whole document (to_json).
#include <continuity/io/json.hpp>
#include <continuity/synthetic/inventory.hpp>

#include <catch2/catch.hpp>

#include "support/errors.hpp"

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <streambuf>
#include <string>
#include <typeinfo>
#include <vector>

namespace json_fast_test {

using nlohmann::json;

// What reading a text gives: the specification, or the error's class and message.
struct outcome {
  std::optional<continuity::model_spec> spec;
  std::string error;
};

template <class F>
outcome outcome_of(F&& read) {
  try {
    return {read(), {}};
  } catch (const continuity::error& e) {
    return {std::nullopt, std::string(typeid(e).name()) + ": " + e.what()};
  }
}

// The strict reader's outcome: the document built by parse_json_text, then read.
outcome strict_outcome(const std::string& text) {
  return outcome_of(
      [&] { return continuity::read_model_spec(continuity::parse_json_text(text, "m.json")); });
}

outcome fast_outcome(const std::string& text) {
  return outcome_of([&] { return continuity::parse_model_spec(text, "m.json"); });
}

// Whether both readers give the same for `text` (reported if not).
bool same_outcome(const std::string& text) {
  const outcome strict = strict_outcome(text), fast = fast_outcome(text);
  const bool same = strict.error == fast.error && strict.spec.has_value() == fast.spec.has_value() &&
                    (!strict.spec || *strict.spec == *fast.spec);
  if (!same)
    FAIL_CHECK("the readers differ on\n" << text << "\nstrict: " << strict.error
                                         << "\nfast:   " << fast.error);
  return same;
}

// Whether simdjson read `text` itself (to a specification or a validation
// error) rather than handing it to the strict reader.
bool read_fast(const std::string& text) {
  std::string padded;
  padded.reserve(text.size() + continuity::detail::json_text_padding);
  padded = text;
  try {
    return continuity::detail::read_spec_simdjson<double>(padded, nullptr).has_value();
  } catch (const continuity::validation_error&) {
    return true;
  }
}

// A model with every kind of object and field of the format (it need not be
// valid as a whole: the readers only read it).
const char* const every_kind = R"({
  "format": "continuity-model/1", "name": "every kind", "currency": "EUR", "tier": "bamboo",
  "employees": 40, "description": "all of it",
  "priority_matrix": [["S", "A", "B"], ["A", "B", "C"], ["B", "C", "D"]],
  "rto_table": {"S": "4h", "A": 24, "B": "3d", "C": "1w", "D": null},
  "cycle_policy": "group",
  "resources": [{"name": "IT staff", "kind": "people", "capacity": 3, "description": "in house"},
                {"name": "vendor", "capacity": 1, "external": true},
                {"name": "spare server", "kind": "equipment", "capacity": 2}],
  "functions": [
    {"name": "orders", "importance": 1, "system_dependency": 2, "emergency": false, "rto": "8h",
     "rpo": 4, "mtpd": "5d", "wrt": 2, "revenue_per_day": 10000, "margin": 0.3,
     "operating_days_per_week": 5, "operating_days_per_year": 250,
     "needs": ["db", {"any_of": ["web1", "web2"]}, {"k_of": 1, "systems": ["web1", "web2"]}],
     "minimum_capacity": [{"by": "24h", "capacity": 0.5}],
     "impact": [{"category": "opportunity", "unit": "EUR",
                 "steps": [{"after": 0, "rate_per_hour": 100},
                           {"after": "1d", "rate_per_day": 4800, "lump": 1000}]}],
     "manual_workaround": {"capacity": 0.3, "setup_time": "2h", "max_duration": "1w",
                           "description": "paper"},
     "description": "sales"},
    {"name": "support", "importance": 2, "emergency": true, "profit_per_day": 500,
     "needs": [{"all_of": ["db"]}]}],
  "systems": [
    {"name": "db", "layer": "software", "side": "server", "segment": "dc", "holds_data": true,
     "transactions_per_hour": 50, "reentry_hours_per_transaction": "3min",
     "reentry_by": "IT staff", "reentry_staff": 2, "description": "the database",
     "backups": [{"interval": "1d", "generations": 7, "medium": "tape", "mode": "offline",
                  "offsite": true, "restore_time": "6h", "content": "data", "description": "d"},
                 {"age": "3d", "mode": "immutable", "content": "system"}],
     "recovery": {"emergency_capacity": 0.5,
       "emergency": [{"name": "restore", "kind": "restore", "duration": {"pert": [2, 4, 8]},
                      "duration_without_backup": {"lognormal": {"p5": 10, "p95": 40}},
                      "needs": ["IT staff", {"resource": "spare server", "units": 1}],
                      "description": "from tape"}],
       "permanent": [{"name": "rebuild", "kind": "recovery_work",
                      "duration": {"triangular": ["1h", "2h", "4h"]},
                      "after": ["restore", {"step": "restore", "start_to_start": true,
                                            "lag": "1h"}]}]}},
    {"name": "web1", "layer": "hardware", "side": "client", "depends_on": ["db"]},
    {"name": "web2", "depends_on": [{"all_of": ["db"]}, {"any_of": ["web1"]}]}],
  "scenarios": [
    {"name": "ransomware", "kind": "ransomware", "annual_frequency": 0.1, "dwell_time": "5d",
     "detection_time": "4h", "starts": "week_start", "description": "the big one",
     "staff_availability": {"vendor": 1, "IT staff": 0.5},
     "records_affected": {"poisson": 1000},
     "damage": [{"layers": ["software"], "segments": ["dc"], "systems": ["db"]}],
     "spread": {"entry": ["web1"], "targets": [{"systems": ["db"]}], "within_segment": 0.5,
                "connections": [{"from": "web1", "to": "db", "probability": 0.3,
                                 "description": "lateral"}],
                "description": "through the office"},
     "costs": [
       {"name": "forensics", "category": "response", "driver": "fixed",
        "amount": {"uniform": [1000, 2000]}, "description": "c"},
       {"name": "per record", "category": "liability", "driver": "per_record",
        "amount": {"gamma": {"shape": 2, "scale": 3}}},
       {"name": "legal", "category": "legal", "amount": {"beta": {"alpha": 2, "beta": 3}},
        "function": "orders", "system": "db"},
       {"name": "fees", "amount": {"truncated_normal": {"mu": 5, "sigma": 2, "lower": 0,
                                                        "upper": 9}}},
       {"name": "calls", "amount": {"negative_binomial": {"mean": 4, "variance": 8}}},
       {"name": "calls 2", "amount": {"negative_binomial": {"successes": 3, "probability": 0.4}}},
       {"name": "seen", "amount": {"empirical": [1, 2, 3]}},
       {"name": "binned", "amount": {"histogram": {"edges": [1, 10, 100],
                                                   "probabilities": [0.5, 0.5], "scale": "log"}}},
       {"name": "published", "amount": {"histogram": "npa_ransomware_cost_2022h2"}},
       {"name": "fixed", "amount": {"fixed": 5}},
       {"name": "log-normal", "amount": {"lognormal": {"mu": 1, "sigma": 0.5}}},
       {"name": "log-normal 2", "amount": {"lognormal": {"mean": 10, "sd": 2}}},
       {"name": "plain", "amount": 7}],
     "correlations": [{"between": ["forensics", "per record"], "rank_correlation": 0.5}],
     "response": [{"name": "detected", "kind": "detection", "at": "4h", "description": "SOC"}],
     "ransom": {"pay": false, "demand": 100000, "key_works": 0.8, "key_arrival": "2d",
                "decryption": {"pert": [1, 2, 3]}, "leak_if_paid": 0.1, "leak_if_not_paid": 0.5,
                "leak_cost": 5000, "sanctions_probability": 0.01, "sanctions_cost": 1000,
                "description": "r"},
     "notifications": [{"preset": "appi_preliminary", "at": "3d"},
                       {"name": "customers", "to": "members", "due": null, "at": "1d",
                        "cost": 100, "penalty_probability": 0.1, "penalty": 1000,
                        "description": "mail"}]},
    {"name": "quake", "kind": "earthquake", "staff_availability": 0.5}],
  "recovery_order": ["db", "web1"],
  "insurance": [{"name": "cyber", "deductible": 1000, "limit": 100000, "aggregate_limit": null,
                 "waiting_period": "8h", "sublimits": {"liability": 5000, "legal": null},
                 "scenarios": ["ransomware"], "description": "i"}]
})";

// Every value of a document (its JSON pointer), containers included, the root not.
void collect_pointers(const json& j, const json::json_pointer& at,
                      std::vector<json::json_pointer>& out) {
  if (j.is_object())
    for (auto it = j.begin(); it != j.end(); ++it) {
      out.push_back(at / it.key());
      collect_pointers(it.value(), at / it.key(), out);
    }
  else if (j.is_array())
    for (std::size_t i = 0; i < j.size(); ++i) {
      out.push_back(at / i);
      collect_pointers(j[i], at / i, out);
    }
}

std::vector<json::json_pointer> pointers_of(const json& j) {
  std::vector<json::json_pointer> out;
  collect_pointers(j, json::json_pointer(), out);
  return out;
}

// A stream buffer that hands out its text a few bytes at a time and cannot
// seek (as a pipe): the reader cannot learn the length in advance.
class trickle_buffer : public std::streambuf {
public:
  explicit trickle_buffer(std::string text) : text_(std::move(text)) {}

protected:
  int_type underflow() override {
    if (at_ >= text_.size()) return traits_type::eof();
    const std::size_t n = std::min<std::size_t>(7, text_.size() - at_);
    char* p = text_.data() + at_;
    setg(p, p, p + n);
    at_ += n;
    return traits_type::to_int_type(*p);
  }

private:
  std::string text_;
  std::size_t at_ = 0;
};

std::string text_of_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

} // namespace json_fast_test

using namespace json_fast_test;

TEST_CASE("the fast reader reads every example and the model of every kind as the strict reader") {
  for (const auto& entry : std::filesystem::directory_iterator(CONTINUITY_EXAMPLES_DIR)) {
    if (entry.path().extension() != ".json") continue;
    const std::string text = text_of_file(entry.path());
    INFO(entry.path());
    CHECK(read_fast(text));
    CHECK(same_outcome(text));
    const auto spec = continuity::parse_model_spec(text);
    CHECK(spec == continuity::read_model_spec(continuity::parse_json_text(text)));
    std::ifstream in(entry.path());
    CHECK(continuity::read_model_spec(in, entry.path().string()) == spec);
    CHECK(continuity::load_model(entry.path()).spec() == spec);
  }
  CHECK(read_fast(every_kind));
  CHECK(same_outcome(every_kind));
  const auto spec = continuity::parse_model_spec(every_kind);
  CHECK(spec.systems.size() == 3);
  CHECK(spec.scenarios[0].costs.size() == 13);
  // Pools in the order of their names, as the strict reader keeps them.
  REQUIRE(spec.scenarios[0].pools_available.size() == 2);
  CHECK(spec.scenarios[0].pools_available[0].pool == "IT staff");
  CHECK(spec.scenarios[0].pools_available[1].pool == "vendor");
}

// How many prefixes of the model of every kind (the first 200, then every
// `stride`-th) the readers report differently; each is malformed.
std::size_t prefixes_differing(std::size_t stride) {
  const std::string text = every_kind;
  std::size_t differ = 0;
  for (std::size_t n = 0; n < text.size(); n += n < 200 ? 1 : stride)
    if (!same_outcome(text.substr(0, n))) ++differ;
  return differ;
}

// The model of every kind with every `stride`-th of its values replaced by
// values of other types, and removed: how many texts were read, and how many
// the readers read differently.
std::pair<std::size_t, std::size_t> replacements_differing(std::size_t stride) {
  const json model = json::parse(every_kind);
  const std::vector<json> others = {nullptr,  true, -1,         0,           2.5,
                                    1e300,    "x",  "3d",       json::array(), json::array({1}),
                                    json::object(), json{{"x", 1}}};
  std::size_t checked = 0, differ = 0;
  const auto pointers = pointers_of(model);
  for (std::size_t p = 0; p < pointers.size(); p += stride) {
    const auto& at = pointers[p];
    for (const json& other : others) {
      json changed = model;
      changed[at] = other;
      ++checked;
      if (!same_outcome(changed.dump(1))) ++differ;
    }
    // Without the member or element.
    json changed = model;
    changed[at.parent_pointer()].is_object()
        ? (void)changed[at.parent_pointer()].erase(at.back())
        : changed[at.parent_pointer()].erase(std::stoul(at.back()));
    ++checked;
    if (!same_outcome(changed.dump(1))) ++differ;
  }
  return {checked, differ};
}

TEST_CASE("the fast reader reports prefixes of a model as the strict reader") {
  CHECK(prefixes_differing(13) == 0);
  // Each prefix is malformed: a parse_error naming the line.
  const std::string text = every_kind;
  const auto e = continuity_test::thrown<continuity::parse_error>(
      [&] { (void)continuity::parse_model_spec(text.substr(0, text.size() / 2), "m.json"); });
  REQUIRE(e);
  CHECK(e->line() > 1);
}

TEST_CASE("the fast reader reports every prefix of a model as the strict reader", "[slow]") {
  CHECK(prefixes_differing(1) == 0);
}

TEST_CASE("the fast reader reports values of the wrong type as the strict reader") {
  const auto [checked, differ] = replacements_differing(7);
  CHECK(checked > 500);
  CHECK(differ == 0);
}

TEST_CASE("the fast reader reports values of the wrong type at every level as the strict reader",
          "[slow]") {
  const auto [checked, differ] = replacements_differing(1);
  CHECK(checked > 4000);
  CHECK(differ == 0);
}

TEST_CASE("unknown and duplicate keys in every object are reported as by the strict reader") {
  const json model = json::parse(every_kind);
  std::vector<json::json_pointer> objects{json::json_pointer()};
  for (const auto& at : pointers_of(model))
    if (model[at].is_object()) objects.push_back(at);
  std::size_t differ = 0, duplicates = 0;
  for (const auto& at : objects) {
    // Two unknown fields: the error names the first in sorted order.
    json unknown = model;
    unknown[at]["zz"] = 1;
    unknown[at]["aa"] = 1;
    if (!same_outcome(unknown.dump(1))) ++differ;
    if (model[at].empty()) continue;
    // A key given twice: written with a stand-in key, then renamed in the text.
    const std::string key = model[at].begin().key();
    json doubled = model;
    doubled[at]["\x01twice"] = model[at].begin().value();
    std::string text = doubled.dump(1);
    const std::string stand_in = "\"\\u0001twice\"";
    text.replace(text.find(stand_in), stand_in.size(), json(key).dump());
    const auto e = continuity_test::thrown<continuity::parse_error>(
        [&] { (void)continuity::parse_model_spec(text, "m.json"); });
    if (e) {
      ++duplicates;
      CHECK(std::string(e->what()).find("duplicate key") != std::string::npos);
      CHECK(e->line() > 1);
    }
    if (!same_outcome(text)) ++differ;
  }
  CHECK(objects.size() > 60);
  CHECK(duplicates == objects.size());
  CHECK(differ == 0);
}

TEST_CASE("numbers, strings and nesting at the edges of the two parsers") {
  const json model = json::parse(every_kind);
  // A number written as given, in an integer field, a number field and a
  // distribution; the strict reader judges those simdjson does not read.
  for (const char* number :
       {"0", "-0", "-0.0", "1", "1.0", "1e2", "1E+2", "2.5e-3", "-7", "1e-400", "4.9e-324",
        "9223372036854775807", "9223372036854775808", "18446744073709551615",
        "18446744073709551616", "-9223372036854775808", "-9223372036854775809", "1e308",
        "1e309", "-1e309", "123456789012345678901234567890", "0.1000000000000000055511151231257827",
        "01", "1.", ".5", "+1", "-", "1e", "0x10", "NaN", "Infinity"}) {
    for (const char* field : {"/systems/0/reentry_staff", "/systems/0/transactions_per_hour",
                              "/scenarios/0/records_affected"}) {
      json changed = model;
      changed[json::json_pointer(field)] = "@number@";
      std::string text = changed.dump(1);
      text.replace(text.find("\"@number@\""), 10, number);
      INFO(field << " = " << number);
      CHECK(same_outcome(text));
    }
  }
  // Integers in 64 bits and plain numbers are read by simdjson, the others not.
  CHECK(read_fast(R"({"employees": 18446744073709551615})"));
  CHECK(read_fast(R"({"employees": -0})"));
  CHECK_FALSE(read_fast(R"({"employees": 18446744073709551616})"));
  CHECK_FALSE(read_fast(R"({"employees": 1e309})"));

  // Strings: escapes, surrogate pairs, a NUL, invalid UTF-8, lone surrogates,
  // control characters.
  for (const char* name :
       {R"("a\"b\\c\/d\b\f\n\r\t")", R"("\u00e9\u4e2d\ud83d\ude00")", R"("nul \u0000 inside")",
        "\"caf\xc3\xa9\"", "\"bad \xc3\"", "\"bad \xed\xa0\x80\"", "\"over \xc0\xaf\"",
        R"("\ud800")", R"("\udc00")", R"("\ud800x")", "\"tab\tin\"", R"("\x")", R"("\u12")",
        "\"\x7f\""}) {
    json changed = model;
    changed["systems"][1]["name"] = "@name@";
    std::string text = changed.dump(1);
    text.replace(text.find("\"@name@\""), 8, name);
    INFO("name " << name);
    CHECK(same_outcome(text));
  }
  // A byte order mark: the strict reader skips it (and so reads the model).
  CHECK(same_outcome("\xef\xbb\xbf" + model.dump()));
  CHECK_FALSE(read_fast("\xef\xbb\xbf" + model.dump()));
  // Nothing, white space, text after the document, two documents.
  for (const std::string& text :
       {std::string(), std::string(" \n\t\r "), model.dump() + " x", model.dump() + model.dump(),
        model.dump() + "\n\n", std::string("null"), std::string("[]"), std::string("\"m\""),
        std::string("{}")})
    CHECK(same_outcome(text));
  // Nesting: 256 levels are read, 257 are a parse_error (with its line).
  for (const std::size_t depth : std::initializer_list<std::size_t>{255, 256, 257, 300, 1100}) {
    const std::string deep = "{\"name\": \"d\",\n\"description\": " + std::string(depth - 1, '[') +
                             std::string(depth - 1, ']') + "}";
    INFO("depth " << depth);
    CHECK(same_outcome(deep));
    CHECK(read_fast(deep) == (depth <= 256));
  }
  // A key given twice among many keys of one object (the sorted check).
  std::string many = "{\"name\": \"M\",\n\"description\": {";
  for (int i = 0; i < 100; ++i) many += "\"k" + std::to_string(i) + "\": 1,";
  many += "\n\"k17\": 2}}";
  CHECK(same_outcome(many));
  CHECK_FALSE(read_fast(many));
  // The same key in different objects is fine.
  CHECK(read_fast(R"({"name": "a", "resources": [{"name": "p"}, {"name": "q"}]})"));
}

TEST_CASE("both readers turn random decimal numbers into the same doubles") {
  // Up to 25 significant digits, exponents from -340 to 320: the ones that
  // overflow are parse errors (from the strict reader); the others must give
  // the same bits through either parser.
  std::mt19937_64 rng(20261206);
  std::uniform_int_distribution<int> digits(1, 25), digit(0, 9), exponent(-340, 320), coin(0, 3);
  std::size_t read = 0, overflowed = 0;
  for (int n = 0; n < 3000; ++n) {
    std::string number = coin(rng) == 0 ? "-" : "";
    const int count = digits(rng);
    number += static_cast<char>('1' + digit(rng) % 9);
    for (int i = 1; i < count; ++i) {
      if (i == 1 && coin(rng) < 2) number += '.';
      number += static_cast<char>('0' + digit(rng));
    }
    if (coin(rng) < 3) {
      number += 'e';
      number += std::to_string(exponent(rng));
    }
    const std::string text = R"({"systems": [{"name": "s", "transactions_per_hour": )" + number + "}]}";
    INFO(number);
    const outcome strict = strict_outcome(text), fast = fast_outcome(text);
    REQUIRE(strict.error == fast.error);
    if (!strict.spec) {
      ++overflowed;
      continue;
    }
    ++read;
    const double a = strict.spec->systems[0].transactions_per_hour,
                 b = fast.spec->systems[0].transactions_per_hour;
    CHECK(std::memcmp(&a, &b, sizeof a) == 0);
  }
  CHECK(read > 2000);
  CHECK(overflowed > 50);
}

TEST_CASE("keys are compared unescaped, as the strict reader compares them") {
  const std::string text = "{\"name\": \"m\",\n\"na\\u006de\": \"n\"}";
  CHECK_FALSE(read_fast(text));
  const auto e = continuity_test::thrown<continuity::parse_error>(
      [&] { (void)continuity::parse_model_spec(text, "m.json"); });
  REQUIRE(e);
  CHECK(e->line() == 2);
  CHECK(std::string(e->what()).find("duplicate key 'name'") != std::string::npos);
  CHECK(same_outcome(text));
  // An escaped key that is a field is read as that field.
  CHECK(continuity::parse_model_spec("{\"n\\u0061me\": \"m\"}").name == "m");
}

TEST_CASE("the model's name must be a string, in both readers") {
  // Used to escape as nlohmann's type_error.
  for (const char* text : {R"({"name": 5})", R"({"name": ["a"], "functions": []})"}) {
    const auto e = continuity_test::thrown<continuity::value_error>(
        [&] { (void)continuity::parse_model_spec(text); });
    REQUIRE(e);
    CHECK(e->object_kind() == "model");
    CHECK(e->field() == "name");
    CHECK(std::string(e->what()) == "model: name: must be a string");
    CHECK(same_outcome(text));
  }
}

TEST_CASE("a stream that cannot tell its length is read in pieces") {
  continuity::synthetic_inventory_options o;
  o.systems = 2000;
  o.functions = 20;
  o.seed = 3;
  const continuity::model_spec spec = continuity::generate_inventory(o);
  const std::string text = continuity::to_json(spec).dump(2);
  REQUIRE(text.size() > 500'000);
  trickle_buffer buffer(text);
  std::istream in(&buffer);
  CHECK(continuity::read_model_spec(in, "pipe") == spec);
  // What is left of a stream after the part already read.
  std::istringstream rest("garbage" + text);
  rest.ignore(7);
  CHECK(continuity::read_model_spec(rest, "rest") == spec);
  // Malformed text from a stream: the strict reader's error, naming the source.
  trickle_buffer broken(text.substr(0, text.size() - 3));
  std::istream cut(&broken);
  const auto e =
      continuity_test::thrown<continuity::parse_error>([&] { (void)continuity::read_model_spec(cut, "pipe"); });
  REQUIRE(e);
  CHECK(e->source() == "pipe");
  CHECK(e->line() > 1000);
}

TEST_CASE("the fast reader stops once cancelled, in each of its stages") {
  using continuity::cancelled_error;
  std::string text = "{\"name\": \"long\", \"functions\": [{\"name\": \"f\"}], \"recovery_order\": [";
  for (int i = 0; i < 10'000; ++i) text += (i ? ",\"s" : "\"s") + std::to_string(i) + "\"";
  text += "]}";
  const std::atomic<bool> go{false}, stop{true};
  const auto spec = continuity::parse_model_spec(text, "long.json", &go);
  CHECK(spec == continuity::parse_model_spec(text));
  CHECK(spec.recovery_order.size() == 10'000);
  CHECK_THROWS_WITH(continuity::parse_model_spec(text, "long.json", &stop),
                    "parsing JSON was cancelled");
  std::istringstream in(text);
  CHECK_THROWS_AS(continuity::read_model_spec(in, "long.json", &stop), cancelled_error);
  // The check of the parsed document, and the reading of the model.
  std::string padded = text;
  padded.reserve(text.size() + continuity::detail::json_text_padding);
  simdjson::dom::parser parser;
  const simdjson::dom::element root = parser.parse(padded).value();
  CHECK(continuity::detail::simdjson_document_check(&go)(root));
  CHECK_THROWS_WITH(continuity::detail::simdjson_document_check(&stop)(root),
                    "parsing JSON was cancelled");
  const continuity::detail::simdjson_value value(root);
  CHECK(continuity::detail::read_spec<double>(value, &go) == spec);
  CHECK_THROWS_WITH(continuity::detail::read_spec<double>(value, &stop),
                    "reading the model was cancelled");
}

TEST_CASE("write_model and save_model write the text of to_json, one element at a time") {
  std::vector<continuity::model_spec> specs;
  for (const auto& entry : std::filesystem::directory_iterator(CONTINUITY_EXAMPLES_DIR))
    if (entry.path().extension() == ".json")
      specs.push_back(continuity::load_model(entry.path()).spec());
  specs.push_back(continuity::parse_model_spec(every_kind));
  specs.emplace_back(); // no functions, systems, scenarios: empty arrays
  continuity::synthetic_inventory_options o;
  o.systems = 500;
  o.functions = 10;
  specs.push_back(continuity::generate_inventory(o));
  // Names that dump escapes: quotes, backslashes, line breaks, control
  // characters, text beyond ASCII; and a model name that looks like a key.
  specs.back().name = "\n  \"functions\": [";
  specs.back().systems[0].name = "a\"b\\c\nd\te\x01 f \xe6\x97\xa5\xe6\x9c\xac";
  specs.back().recovery_order = {specs.back().systems[0].name};
  specs.back().insurance.emplace_back();
  specs.back().insurance.back().name = "cyber\r\n";
  for (const auto& spec : specs) {
    INFO(spec.name);
    const std::string expected = continuity::to_json(spec).dump(2);
    std::ostringstream out;
    continuity::write_model(spec, out);
    CHECK(out.str() == expected);
    const auto file = std::filesystem::temp_directory_path() /
                      ("continuity-write-model-" + std::to_string(std::random_device{}()) + ".json");
    continuity::save_model(spec, file);
    CHECK(text_of_file(file) == expected + "\n");
    CHECK(continuity::parse_model_spec(expected) == spec);
    std::filesystem::remove(file);
  }
}
