# The WebAssembly module: Embind bindings (wasm/*_bindings.cpp) over the core, linked as an
# ES module for browsers and workers. Single-threaded: a widget cannot make its host page
# cross-origin isolated (COOP/COEP), which wasm threads would need.
file(GLOB SEALDESK_BINDINGS CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/wasm/*_bindings.cpp")
add_executable(sealdesk_wasm ${SEALDESK_BINDINGS})
set_target_properties(sealdesk_wasm PROPERTIES OUTPUT_NAME "sealdesk-core" SUFFIX ".mjs")
target_compile_options(sealdesk_wasm PRIVATE ${SEALDESK_WARNINGS} -fno-exceptions)
target_link_libraries(sealdesk_wasm PRIVATE sealdesk_core)
target_link_options(sealdesk_wasm PRIVATE
  --bind
  -O3
  -fno-exceptions
  -sMODULARIZE=1
  -sEXPORT_ES6=1
  -sEXPORT_NAME=createSealDeskCore
  -sENVIRONMENT=web,worker
  -sDYNAMIC_EXECUTION=0          # no eval/new Function: runs under CSP without 'unsafe-eval'
  -sFILESYSTEM=0
  -sALLOW_MEMORY_GROWTH=1
  -sINITIAL_MEMORY=16777216
  -sTOTAL_STACK=1048576
  -sEXPORTED_FUNCTIONS=_malloc,_free
  -sEXPORTED_RUNTIME_METHODS=[]
  -sINCOMING_MODULE_JS_API=[locateFile,wasmBinary,instantiateWasm,print,printErr,onAbort]
  "--pre-js=${CMAKE_SOURCE_DIR}/wasm/random.pre.js"
)
set_property(TARGET sealdesk_wasm APPEND PROPERTY LINK_DEPENDS "${CMAKE_SOURCE_DIR}/wasm/random.pre.js")

# The JS layer imports the module from js/dist/ (ignored by git), so the repo served as-is
# is the package a site installs.
set(SEALDESK_JS_DIST "${CMAKE_SOURCE_DIR}/js/dist")
add_custom_command(TARGET sealdesk_wasm POST_BUILD
  COMMAND ${CMAKE_COMMAND} -E make_directory "${SEALDESK_JS_DIST}"
  COMMAND ${CMAKE_COMMAND} -E copy_if_different
          "$<TARGET_FILE_DIR:sealdesk_wasm>/sealdesk-core.mjs"
          "$<TARGET_FILE_DIR:sealdesk_wasm>/sealdesk-core.wasm" "${SEALDESK_JS_DIST}/"
  COMMAND ${CMAKE_COMMAND} -DDIR=${SEALDESK_JS_DIST} -P "${CMAKE_SOURCE_DIR}/wasm/size_report.cmake"
  VERBATIM)
