# continuity_sanitized_target(<target>): AddressSanitizer + UBSan flags when
# CONTINUITY_SANITIZE is on.
function(continuity_sanitized_target target)
  if(CONTINUITY_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-sanitize-recover=all
                                             -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()

# continuity_project_target(<target>): warning flags (as errors with
# CONTINUITY_WERROR) for the project's own binaries — tests, examples,
# benchmarks — plus the sanitizer flags. Third-party headers come in as
# SYSTEM includes through their imported targets, so -Werror only judges
# our code.
function(continuity_project_target target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wconversion)
  if(CONTINUITY_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  continuity_sanitized_target(${target})
endfunction()
