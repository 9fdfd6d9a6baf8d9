// continuity/analysis.hpp — every analysis of a model: objective
// inheritance, impact propagation, single points of failure, backup exposure.
#pragma once
#include <continuity/analysis/attack_spread.hpp>
#include <continuity/analysis/backup_exposure.hpp>
#include <continuity/analysis/impact.hpp>
#include <continuity/analysis/single_points_of_failure.hpp>
