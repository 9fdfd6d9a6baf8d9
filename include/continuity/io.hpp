// continuity/io.hpp — reading and writing models (JSON, which needs nlohmann-json;
// inventory tables given as columns).
#pragma once
#include <continuity/io/duration.hpp>
#include <continuity/io/json.hpp>
#include <continuity/io/psplib.hpp>
#include <continuity/io/tables.hpp>
