// Shared by the tests that build model specifications in code.
#pragma once

#include <continuity/model/model.hpp>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace continuity_test {

/// The system type, taken from the spec's container (independent of its name).
using spec_system = decltype(continuity::model_spec::systems)::value_type;

/// A hardware system (it holds no data, so no RPO check gets in the way).
inline spec_system make_system(std::string name, std::vector<continuity::requirement> deps = {}) {
  spec_system s;
  s.name = std::move(name);
  s.layer = continuity::asset_layer::hardware;
  s.depends_on = std::move(deps);
  return s;
}

/// A business function that needs `needs`.
inline continuity::business_function<double>
make_function(std::string name, std::vector<continuity::requirement> needs) {
  continuity::business_function<double> f;
  f.name = std::move(name);
  f.needs = std::move(needs);
  return f;
}

inline continuity::requirement all(std::vector<std::string> s) {
  return continuity::requirement::all_of(std::move(s));
}
inline continuity::requirement any(std::vector<std::string> s) {
  return continuity::requirement::any_of(std::move(s));
}

/// "s12", "f3": built by appending (GCC 12 warns falsely on "s" + std::to_string).
inline std::string label(char prefix, std::size_t i) {
  std::string s(1, prefix);
  s += std::to_string(i);
  return s;
}

} // namespace continuity_test
