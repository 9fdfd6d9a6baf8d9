# Install the headers and an exported CMake package:
#   find_package(continuity CONFIG REQUIRED)
#   target_link_libraries(app PRIVATE continuity::continuity)   # or continuity::io for JSON files
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(CONTINUITY_CONFIG_DIR "${CMAKE_INSTALL_DATADIR}/cmake/continuity")

install(DIRECTORY include/continuity DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(TARGETS continuity EXPORT continuityTargets)
if(TARGET continuity_io)
  install(TARGETS continuity_io EXPORT continuityTargets)
endif()
install(EXPORT continuityTargets NAMESPACE continuity:: DESTINATION "${CONTINUITY_CONFIG_DIR}")

configure_package_config_file(cmake/continuity-config.cmake.in
  "${CMAKE_CURRENT_BINARY_DIR}/continuity-config.cmake"
  INSTALL_DESTINATION "${CONTINUITY_CONFIG_DIR}")
# A header-only library has no ABI: any compiler may use it, so the package is
# architecture independent.
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/continuity-config-version.cmake"
  COMPATIBILITY SameMajorVersion ARCH_INDEPENDENT)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/continuity-config.cmake"
              "${CMAKE_CURRENT_BINARY_DIR}/continuity-config-version.cmake"
        DESTINATION "${CONTINUITY_CONFIG_DIR}")
