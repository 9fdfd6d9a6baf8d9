// continuity/detail/gcc12_restrict_push.hpp — included before the code of a
// header that builds std::string messages by concatenation: GCC 12 reports a
// false -Wrestrict there (GCC bug 105329), which -Werror builds of users'
// code would turn into an error. Pair with gcc12_restrict_pop.hpp at the end
// of the header. No include guard: it is meant to be included many times.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wrestrict"
#endif
