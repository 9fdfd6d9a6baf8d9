// continuity._core: the compiled part of the Python package. The typed,
// documented API is the pure-Python layer in python/continuity/; this module
// is its engine and is not meant to be used directly. This file only
// translates the errors and calls the registration functions: it includes
// none of the library but its exception classes.
#include "register.hpp"

#include <continuity/error.hpp>
#include <continuity/version.hpp>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <exception>
#include <utility>

namespace continuity::python {
namespace {

// Raises the Python class `name` of continuity.errors with `args`.
template <class... Args>
void raise_python(const char* name, Args&&... args) {
  const py::object cls = py::module_::import("continuity.errors").attr(name);
  const py::object instance = cls(std::forward<Args>(args)...);
  PyErr_SetObject(cls.ptr(), instance.ptr());
}

template <class E>
void raise_validation(const char* name, const E& e) {
  raise_python(name, e.what(), e.object_kind(), e.object_name(), e.field());
}

// C++ errors become the continuity.errors class of the same name, with the
// same message and the structured parts as attributes.
void translate(std::exception_ptr p) {
  try {
    if (p) std::rethrow_exception(p);
  } catch (const cycle_error& e) {
    raise_python("CycleError", e.what(), e.object_kind(), e.object_name(), e.field(),
                 py::cast(e.systems()));
  } catch (const reference_error& e) {
    raise_validation("ReferenceError", e);
  } catch (const duplicate_error& e) {
    raise_validation("DuplicateError", e);
  } catch (const value_error& e) {
    raise_validation("ValueError_", e);
  } catch (const objective_error& e) {
    raise_validation("ObjectiveError", e);
  } catch (const table_error& e) {
    raise_python("SpreadsheetError", e.problem(), e.file(), e.sheet(),
                 e.row() == 0 ? py::object(py::none()) : py::object(py::int_(e.row())),
                 e.column());
  } catch (const validation_error& e) {
    raise_validation("ValidationError", e);
  } catch (const parse_error& e) {
    raise_python("ParseError", e.what(), e.source(), e.line());
  } catch (const io_error& e) {
    raise_python("IOError_", e.what());
  } catch (const scheduling_error& e) {
    raise_python("SchedulingError", e.what());
  } catch (const error& e) {
    raise_python("Error", e.what());
  }
}

} // namespace
} // namespace continuity::python

PYBIND11_MODULE(_core, m) {
  namespace cp = continuity::python;
  m.doc() = "The compiled core of continuity (use the continuity package, not this module).";
  m.attr("__version__") = continuity::version_string;
  pybind11::register_exception_translator(&cp::translate);
  cp::register_model(m);
  cp::register_recovery(m);
  cp::register_loss(m);
  cp::register_synthetic(m);
  cp::register_tables(m);
}
