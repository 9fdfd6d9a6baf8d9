// continuity/loss.hpp — incident loss modelling: top-down scenarios, the
// Monte Carlo engine, insurance and loss statistics.
#pragma once

#include <continuity/loss/incident_cost.hpp>
#include <continuity/loss/incident_insurance.hpp>
#include <continuity/loss/incident_simulation.hpp>
#include <continuity/loss/insurance.hpp>
#include <continuity/loss/loss_split.hpp>
#include <continuity/loss/loss_summary.hpp>
#include <continuity/loss/mitigation.hpp>
#include <continuity/loss/sensitivity.hpp>
#include <continuity/loss/monte_carlo.hpp>
#include <continuity/loss/ransom_decision.hpp>
#include <continuity/loss/statistics.hpp>
#include <continuity/loss/top_down.hpp>
