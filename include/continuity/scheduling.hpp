// continuity/scheduling.hpp — resource-constrained recovery scheduling:
// projects, critical path, schedules and their checker, the serial schedule
// generation scheme with priority rules, and the improving search.
#pragma once

#include <continuity/scheduling/critical_path.hpp>
#include <continuity/scheduling/improvement.hpp>
#include <continuity/scheduling/project.hpp>
#include <continuity/scheduling/schedule.hpp>
#include <continuity/scheduling/serial_sgs.hpp>
