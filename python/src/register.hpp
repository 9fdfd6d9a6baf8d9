// The registration functions of continuity._core, one per part of the
// library (defined in register_<part>.cpp); module.cpp calls them.
#pragma once

#include <pybind11/pybind11.h>

namespace continuity::python {

namespace py = pybind11;

void register_model(py::module_& m);
void register_recovery(py::module_& m);
void register_loss(py::module_& m);
void register_synthetic(py::module_& m);
void register_tables(py::module_& m);

} // namespace continuity::python
