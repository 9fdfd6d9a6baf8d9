// Shared by the tests that build models from JSON text.
#pragma once

#include "errors.hpp"

#include <continuity/io/json.hpp>
#include <continuity/model/model.hpp>

#include <optional>
#include <sstream>
#include <string>

namespace continuity_test {

/// The model read from JSON text by read_model (errors name `source`).
inline continuity::model read_text(const std::string& text, const std::string& source = "<input>") {
  std::istringstream in(text);
  return continuity::read_model(in, source);
}

/// The model of the specification in JSON text (no source name).
inline continuity::model parse(const std::string& text) {
  return continuity::model(continuity::read_model_spec(nlohmann::json::parse(text)));
}

/// The exception of class E that reading the model `j` throws.
template <class E>
std::optional<E> thrown_by_json(const nlohmann::json& j) {
  return thrown<E>([&] { (void)read_text(j.dump()); });
}

} // namespace continuity_test
