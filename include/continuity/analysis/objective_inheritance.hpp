// continuity/analysis/objective_inheritance.hpp — the former place of
// inherit_objectives(), which is part of the model (it is how a model derives
// each system's RTO, RPO and priority class): see
// continuity/model/objective_inheritance.hpp. Kept so that code written
// against this path still compiles.
#pragma once

#include <continuity/model/objective_inheritance.hpp>
