// model_json_fuzzer — bytes as a JSON model file: parse_json_text (strict
// reader: duplicate keys, depth, number overflow), read_model_spec, the
// model's validation, then every analysis of the valid models
// (fuzz/analyses.hpp) and the writer: to_json of a valid model must read
// back to the same specification. The fast reader (parse_model_spec, through
// simdjson) must give what the strict reader gives for every input: the same
// specification, or an error of the same class with the same message.
//
// Library errors (continuity::error) while reading are expected; any other
// exception, a crash, a sanitizer report, a leak or a hang is a finding.
#include "analyses.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <typeinfo>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // CONTINUITY_FUZZ_VERBOSE=1: say whether each input is a valid model, and why not.
  static const bool verbose = std::getenv("CONTINUITY_FUZZ_VERBOSE") != nullptr;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // What each reader makes of the text: a specification or an error.
  std::optional<continuity::model_spec> strict, fast;
  std::string strict_error, fast_error;
  try {
    strict.emplace(continuity::read_model_spec<double>(continuity::parse_json_text(text, "<fuzz>")));
  } catch (const continuity::error& e) {
    strict_error = std::string(typeid(e).name()) + ": " + e.what();
  }
  try {
    fast.emplace(continuity::parse_model_spec<double>(text, "<fuzz>"));
  } catch (const continuity::error& e) {
    fast_error = std::string(typeid(e).name()) + ": " + e.what();
  }
  if (strict_error != fast_error || strict.has_value() != fast.has_value() ||
      (strict && !(*strict == *fast)))
    fuzz::property_failed("the fast reader differs from the strict reader",
                          "strict: " + strict_error + "; fast: " + fast_error);
  if (!strict) {
    if (verbose) std::fprintf(stderr, "fuzz: not a valid model: %s\n", strict_error.c_str());
    return 0;
  }
  std::optional<continuity::model> m;
  try {
    m.emplace(std::move(*strict));
  } catch (const continuity::error& e) {
    if (verbose) std::fprintf(stderr, "fuzz: not a valid model: %s\n", e.what());
    return 0;
  }
  if (verbose) std::fprintf(stderr, "fuzz: valid model\n");
  // The writer: what a valid model writes reads back equal.
  const auto written = continuity::to_json(m->spec()).dump();
  try {
    const auto back = continuity::read_model_spec<double>(continuity::parse_json_text(written));
    if (!(back == m->spec())) fuzz::property_failed("to_json does not read back equal", written);
  } catch (const continuity::error& e) {
    fuzz::property_failed("to_json of a valid model does not read back", e.what());
  }
  std::uint32_t variant = 0;
  for (std::size_t i = 0; i < size; ++i) variant = (variant ^ data[i]) * 16777619u;
  fuzz::run_analyses(*m, variant);
  return 0;
}
