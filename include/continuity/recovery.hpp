// continuity/recovery.hpp — recovery planning: default procedures, the
// recovery project of an incident, the staff-constrained plan with each
// system's and function's capacity over time, and the gap report.
#pragma once

#include <continuity/recovery/capacity_profile.hpp>
#include <continuity/recovery/default_procedure.hpp>
#include <continuity/recovery/gap_report.hpp>
#include <continuity/recovery/impact_escalation.hpp>
#include <continuity/recovery/order_search.hpp>
#include <continuity/recovery/plan_explanation.hpp>
#include <continuity/recovery/ransom_outcome.hpp>
#include <continuity/recovery/recovery_outcome.hpp>
#include <continuity/recovery/recovery_plan.hpp>
#include <continuity/recovery/recovery_project.hpp>
