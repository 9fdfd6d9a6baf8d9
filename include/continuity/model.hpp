// continuity/model.hpp — the business model: functions, systems, backups,
// scenarios, priorities, and the validated model.
#pragma once
#include <continuity/model/backup.hpp>
#include <continuity/model/business_function.hpp>
#include <continuity/model/dependency_graph.hpp>
#include <continuity/model/dependency_tier.hpp>
#include <continuity/model/impact_curve.hpp>
#include <continuity/model/insurance_policy.hpp>
#include <continuity/model/layer.hpp>
#include <continuity/model/magnitudes.hpp>
#include <continuity/model/model.hpp>
#include <continuity/model/objective_inheritance.hpp>
#include <continuity/model/priority.hpp>
#include <continuity/model/published_distributions.hpp>
#include <continuity/model/ransom.hpp>
#include <continuity/model/requirement.hpp>
#include <continuity/model/scenario.hpp>
#include <continuity/model/system.hpp>
