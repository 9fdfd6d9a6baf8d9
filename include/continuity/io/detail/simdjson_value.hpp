// continuity/io/detail/simdjson_value.hpp — a value of a simdjson document
// read through the interface of io/detail/json_value.hpp, so that the one
// model reader of io/json.hpp reads simdjson documents too (the fast path of
// parse_model_spec; needs the simdjson library, CONTINUITY_SIMDJSON).
//
// simdjson accepts a few documents that the strict reader (parse_json_text)
// rejects, and rejects a few it accepts: check_simdjson_document finds the
// former (a key given twice, nesting too deep), and the caller hands every
// document either finds fault with to the strict reader, which reports the
// error (or reads the document) exactly as before.
#pragma once

#include <continuity/error.hpp>
#include <continuity/io/detail/json_value.hpp>

#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace continuity::detail {

/// A value of a simdjson document (a handle: copy it freely while the
/// document lives). Its get<T>() converts as nlohmann::json's does: a
/// number to double, an integer to long long (an unsigned one beyond its
/// range wraps, as a static_cast does). A default-constructed value is an
/// empty array (what the reader reads for an absent array field).
class simdjson_value {
public:
  simdjson_value() = default;
  explicit simdjson_value(simdjson::dom::element e) noexcept : e_(e), present_(true) {}

  bool is_object() const noexcept { return is(type::OBJECT); }
  bool is_array() const noexcept { return !present_ || is(type::ARRAY); }
  bool is_string() const noexcept { return is(type::STRING); }
  bool is_boolean() const noexcept { return is(type::BOOL); }
  bool is_null() const noexcept { return is(type::NULL_VALUE); }
  bool is_number_integer() const noexcept { return is(type::INT64) || is(type::UINT64); }
  bool is_number() const noexcept { return is_number_integer() || is(type::DOUBLE); }

  /// The value as T: std::string or std::string_view (of a string), double
  /// (of a number), long long (of an integer), bool (of true or false).
  template <class T>
  T get() const {
    if constexpr (std::is_same_v<T, std::string_view>) {
      return e_.get_string().value_unsafe();
    } else if constexpr (std::is_same_v<T, std::string>) {
      return std::string(get<std::string_view>());
    } else if constexpr (std::is_same_v<T, double>) {
      if (is(type::INT64)) return static_cast<double>(e_.get_int64().value_unsafe());
      if (is(type::UINT64)) return static_cast<double>(e_.get_uint64().value_unsafe());
      return e_.get_double().value_unsafe();
    } else if constexpr (std::is_same_v<T, long long>) {
      if (is(type::UINT64)) return static_cast<long long>(e_.get_uint64().value_unsafe());
      return static_cast<long long>(e_.get_int64().value_unsafe());
    } else {
      static_assert(std::is_same_v<T, bool>, "get<T>: T is std::string, double, long long or bool");
      return e_.get_bool().value_unsafe();
    }
  }

  /// True if the value is an object with member `key`.
  bool contains(std::string_view key) const noexcept {
    return is_object() && e_.get_object().value_unsafe().at_key(key).error() == simdjson::SUCCESS;
  }
  /// Member `key` of an object that contains it (otherwise an empty array).
  simdjson_value at(std::string_view key) const noexcept {
    if (!is_object()) return {};
    const auto member = e_.get_object().value_unsafe().at_key(key);
    return member.error() == simdjson::SUCCESS ? simdjson_value(member.value_unsafe())
                                               : simdjson_value();
  }
  /// Elements of an array, members of an object; 0 for null, 1 for a scalar.
  std::size_t size() const noexcept {
    if (!present_) return 0;
    switch (e_.type()) {
    case type::ARRAY: return e_.get_array().value_unsafe().size();
    case type::OBJECT: return e_.get_object().value_unsafe().size();
    case type::NULL_VALUE: return 0;
    default: return 1;
    }
  }
  bool empty() const noexcept { return size() == 0; }

  /// The underlying simdjson element (of a value that is not an absent array).
  simdjson::dom::element element() const noexcept { return e_; }

private:
  using type = simdjson::dom::element_type;
  bool is(type t) const noexcept { return present_ && e_.type() == t; }

  simdjson::dom::element e_;
  bool present_ = false;
};

/// For simdjson_value: a copy of the handle, in storage that is not
/// initialised until set (a reader has a slot for every field it may have).
template <>
class json_slot<simdjson_value> {
  static_assert(std::is_trivially_copyable_v<simdjson_value>);

public:
  json_slot() noexcept {} // bytes_ stay unset until set()
  void set(const simdjson_value& v) noexcept { std::memcpy(bytes_, &v, sizeof v); }
  simdjson_value get() const noexcept {
    simdjson_value v;
    std::memcpy(&v, bytes_, sizeof v);
    return v;
  }

private:
  alignas(simdjson_value) unsigned char bytes_[sizeof(simdjson_value)];
};

/// Calls f(key, value) for each member of an object, in document order.
template <class F>
void for_each_member(const simdjson_value& j, F&& f) {
  const simdjson::dom::object object = j.element().get_object().value_unsafe();
  for (const auto member : object) f(member.key, simdjson_value(member.value));
}

/// Calls f(key, value) for each member of an object in the order of the keys.
template <class F>
void for_each_member_sorted(const simdjson_value& j, F&& f) {
  std::vector<std::pair<std::string_view, simdjson_value>> members;
  for_each_member(j, [&](std::string_view key, simdjson_value value) { members.emplace_back(key, value); });
  std::sort(members.begin(), members.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [key, value] : members) f(key, value);
}

/// Calls f(value) for each element of an array, in order.
template <class F>
void for_each_element(const simdjson_value& j, F&& f) {
  if (j.size() == 0) return;
  const simdjson::dom::array array = j.element().get_array().value_unsafe();
  for (const auto e : array) f(simdjson_value(e));
}

/// The key and value of the first member of a non-empty object.
inline std::pair<std::string_view, simdjson_value> first_member(const simdjson_value& j) {
  const auto member = *j.element().get_object().value_unsafe().begin();
  return {member.key, simdjson_value(member.value)};
}

/// An empty array: what the reader reads for an absent array field.
inline simdjson_value empty_json_array(const simdjson_value*) { return {}; }

/// Checks a document simdjson has parsed for what the strict reader rejects
/// and simdjson does not: a key given twice in one object, nesting deeper
/// than json_max_depth. Returns false if it finds either (the strict reader
/// then reports it with its line). Throws cancelled_error ("parsing JSON was
/// cancelled") once `cancel` (may be null) is true, every 4,096 values.
class simdjson_document_check {
public:
  explicit simdjson_document_check(const std::atomic<bool>* cancel)
      : cancel_(cancel), keys_(json_max_depth) {}

  bool operator()(simdjson::dom::element root) { return visit(root, 0); }

private:
  bool visit(simdjson::dom::element e, std::size_t depth) {
    if (++values_ % 4096 == 0) throw_if_cancelled(cancel_, "parsing JSON");
    using type = simdjson::dom::element_type;
    const type t = e.type();
    if (t != type::ARRAY && t != type::OBJECT) return true;
    if (depth + 1 > json_max_depth) return false;
    if (t == type::ARRAY) {
      const simdjson::dom::array array = e.get_array().value_unsafe();
      for (const auto x : array)
        if (!visit(x, depth + 1)) return false;
      return true;
    }
    std::vector<std::string_view>& keys = keys_[depth];
    keys.clear();
    const simdjson::dom::object object = e.get_object().value_unsafe();
    for (const auto member : object) {
      keys.push_back(member.key);
      if (!visit(member.value, depth + 1)) return false;
    }
    return distinct(keys);
  }

  // True if no key appears twice (a pairwise look while there are few).
  static bool distinct(std::vector<std::string_view>& keys) {
    if (keys.size() <= 16) {
      for (std::size_t i = 1; i < keys.size(); ++i)
        for (std::size_t k = 0; k < i; ++k)
          if (keys[i] == keys[k]) return false;
      return true;
    }
    std::sort(keys.begin(), keys.end());
    return std::adjacent_find(keys.begin(), keys.end()) == keys.end();
  }

  const std::atomic<bool>* cancel_;
  std::size_t values_ = 0;
  std::vector<std::vector<std::string_view>> keys_; // the keys of the open object at each depth
};

} // namespace continuity::detail
