// continuity/detail/gcc12_restrict_pop.hpp — ends what gcc12_restrict_push.hpp
// began. No include guard: it is meant to be included many times.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic pop
#endif
