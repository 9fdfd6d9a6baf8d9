// continuity/io/detail/json_value.hpp — what the model reader asks of a JSON
// value. The reader (io/json.hpp, io/detail/json_distribution.hpp) is written
// once, as templates over the value type J, and reads two representations:
//
//   nlohmann::json   a document built in memory (read_model_spec of a json);
//   simdjson_value   a value of a simdjson document (io/detail/simdjson_value.hpp,
//                    parse_model_spec and read_model_spec of a stream).
//
// Of a value the reader uses nlohmann::json's own members is_object,
// is_array, is_string, is_number, is_number_integer, is_boolean, is_null,
// get<T>() (T: std::string, double, long long, bool), contains, at and size,
// and the free functions and json_slot below, which simdjson_value.hpp
// provides for its values too.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

namespace continuity::detail {

/// Deepest nesting of arrays and objects a JSON model file may have.
inline constexpr std::size_t json_max_depth = 256;

/// How the reader holds a value it got from another: a reference into an
/// nlohmann::json document, a copy of a simdjson_value (a small handle).
template <class J>
using json_ref = std::conditional_t<std::is_same_v<J, nlohmann::json>, const J&, J>;

/// A place for a value that a reader finds (one per field it may have, most
/// of them never filled): left unset until set.
template <class J>
class json_slot;

/// For nlohmann::json: a pointer into the document.
template <>
class json_slot<nlohmann::json> {
public:
  void set(const nlohmann::json& j) noexcept { p_ = &j; }
  const nlohmann::json& get() const noexcept { return *p_; }

private:
  const nlohmann::json* p_;
};

/// Calls f(key, value) for each member of an object, in the object's order
/// (for nlohmann::json, the keys' sorted order).
template <class F>
void for_each_member(const nlohmann::json& j, F&& f) {
  for (auto it = j.begin(); it != j.end(); ++it) f(std::string_view(it.key()), it.value());
}

/// Calls f(key, value) for each member of an object in the order of the keys
/// (std::string's order, nlohmann::json's own).
template <class F>
void for_each_member_sorted(const nlohmann::json& j, F&& f) {
  for_each_member(j, f);
}

/// Calls f(value) for each element of an array, in order.
template <class F>
void for_each_element(const nlohmann::json& j, F&& f) {
  for (const auto& e : j) f(e);
}

/// The key and value of the first member of a non-empty object (in the
/// order for_each_member visits them).
inline std::pair<std::string_view, const nlohmann::json&> first_member(const nlohmann::json& j) {
  const auto it = j.begin();
  return {it.key(), it.value()};
}

/// An empty array: what the reader reads for an absent array field.
inline const nlohmann::json& empty_json_array(const nlohmann::json*) {
  static const nlohmann::json empty = nlohmann::json::array();
  return empty;
}

/// The smallest key of object `j` (in std::string's order) that is not in
/// `allowed`, or nullopt if every key is allowed: the first unknown field in
/// sorted order, whatever order the representation keeps.
template <class J>
std::optional<std::string_view> first_unknown_key(const J& j,
                                                  std::initializer_list<const char*> allowed) {
  std::optional<std::string_view> first;
  for_each_member(j, [&](std::string_view key, const auto&) {
    for (const char* a : allowed)
      if (key == a) return;
    if (!first || key < *first) first = key;
  });
  return first;
}

} // namespace continuity::detail
