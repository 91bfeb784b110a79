# libsodium, Opus and libogg for the wasm preset: built once from `apt-get source` by
# wasm/third_party.sh into a directory shared by every wasm build tree, then imported.
set(SEALDESK_WASM_DEPS_DIR "${CMAKE_SOURCE_DIR}/build/third_party/wasm" CACHE PATH
    "Where libsodium/Opus/libogg are built for WebAssembly")
set(_deps_install "${SEALDESK_WASM_DEPS_DIR}/install")

# The script returns at once when everything is built.
execute_process(COMMAND "${CMAKE_SOURCE_DIR}/wasm/third_party.sh" wasm "${SEALDESK_WASM_DEPS_DIR}"
                RESULT_VARIABLE _deps_rc)
if(NOT _deps_rc EQUAL 0)
  message(FATAL_ERROR "wasm/third_party.sh wasm failed (${_deps_rc})")
endif()

foreach(_lib sodium opus ogg)
  add_library(sealdesk_${_lib} INTERFACE)
  target_link_libraries(sealdesk_${_lib} INTERFACE "${_deps_install}/lib/lib${_lib}.a")
  target_include_directories(sealdesk_${_lib} SYSTEM INTERFACE "${_deps_install}/include")
endforeach()
# Like Debian's opus.pc, which adds include/opus so that code includes <opus.h>.
target_include_directories(sealdesk_opus SYSTEM INTERFACE "${_deps_install}/include/opus")
