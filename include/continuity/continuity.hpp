// continuity/continuity.hpp — the model, its analyses, scheduling, random
// streams, loss simulation and synthetic inventories. I/O headers, which
// need nlohmann-json, are included separately: <continuity/io.hpp>.
#pragma once
#include <continuity/analysis.hpp>
#include <continuity/error.hpp>
#include <continuity/model.hpp>
#include <continuity/loss.hpp>
#include <continuity/random.hpp>
#include <continuity/recovery.hpp>
#include <continuity/scheduling.hpp>
#include <continuity/synthetic.hpp>
#include <continuity/version.hpp>
