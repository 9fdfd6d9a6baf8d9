// Shared by the tests of validation and I/O errors: run something, get the
// exception of exactly one class it throws, and check the object, name and
// field the error reports.
#pragma once

#include <continuity/model/model.hpp>

#include <catch2/catch.hpp>

#include <exception>
#include <optional>
#include <string>
#include <typeinfo>
#include <vector>

namespace continuity_test {

/// Runs f and returns the exception of exactly class E it throws (a derived,
/// sibling or unrelated class, or no exception, fails the test).
template <class E, class F>
std::optional<E> thrown(F&& f) {
  try {
    f();
  } catch (const E& e) {
    CHECK(std::string(typeid(e).name()) == std::string(typeid(E).name()));
    return e;
  } catch (const std::exception& e) {
    FAIL_CHECK("unexpected exception " << typeid(e).name() << ": " << e.what());
    return std::nullopt;
  }
  FAIL_CHECK("no exception thrown");
  return std::nullopt;
}

/// Checks a validation error's object kind, name and field, that what()
/// starts with "<kind> '<name>'", and that it shows the field and every fragment.
template <class E>
void check_names(const std::optional<E>& e, const std::string& kind, const std::string& name,
                 const std::string& field, const std::vector<std::string>& fragments = {}) {
  REQUIRE(e);
  const std::string what = e->what();
  INFO("what(): " << what);
  CHECK(e->object_kind() == kind);
  CHECK(e->object_name() == name);
  CHECK(e->field() == field);
  CHECK(what.rfind(kind + " '" + name + "'", 0) == 0);
  CHECK(what.find(field) != std::string::npos);
  for (const auto& f : fragments) CHECK(what.find(f) != std::string::npos);
}

/// The exception of class E that validating the specification s throws.
template <class E>
std::optional<E> thrown_by_spec(const continuity::model_spec& s) {
  return thrown<E>([&] { (void)continuity::model(s); });
}

} // namespace continuity_test
