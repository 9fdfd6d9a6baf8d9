// continuity/continuity.hpp — the model and its analyses. I/O headers, which
// need nlohmann-json, are included separately: <continuity/io.hpp>.
#pragma once
#include <continuity/analysis.hpp>
#include <continuity/error.hpp>
#include <continuity/model.hpp>
#include <continuity/version.hpp>
