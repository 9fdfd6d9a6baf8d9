// continuity/random.hpp — randomness: the counter-based generator, the
// distribution families, the distribution value type and the Gaussian copula.
#pragma once

#include <continuity/random/copula.hpp>
#include <continuity/random/distribution.hpp>
#include <continuity/random/histogram.hpp>
#include <continuity/random/normal.hpp>
#include <continuity/random/rng.hpp>
#include <continuity/random/stream_key.hpp>
