// Shared by the tests that start from an example model of examples/: its
// JSON document (to change before building the model) and the model of a
// document.
#pragma once

#include <continuity/io/json.hpp>
#include <continuity/model/model.hpp>

#include <fstream>
#include <string>

namespace continuity_test {

/// The JSON document of examples/<file>.
inline nlohmann::json example_json(const std::string& file) {
  std::ifstream in(std::string(CONTINUITY_EXAMPLES_DIR) + "/" + file);
  return nlohmann::json::parse(in);
}

/// The model of a JSON document in the model format.
inline continuity::model model_of(const nlohmann::json& j) {
  return continuity::model(continuity::read_model_spec(j));
}

} // namespace continuity_test
