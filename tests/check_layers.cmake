# Fails when a layer includes what the architecture forbids it (docs: architecture.md):
# core/ no Qt, no LibTorch, no FFmpeg; models/ no Qt; ui/ and app/ no <torch/...>.
# Run as: cmake -DSOURCE_DIR=<repo> -P check_layers.cmake
set(violations "")
function(check_layer dir regex what)
  file(GLOB_RECURSE files "${SOURCE_DIR}/${dir}/*.h" "${SOURCE_DIR}/${dir}/*.cpp")
  foreach(f IN LISTS files)
    if(f MATCHES "/core/(media|store)/")
      continue()  # own layers with their own rules
    endif()
    file(STRINGS "${f}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"](${regex})")
    foreach(l IN LISTS lines)
      file(RELATIVE_PATH rel "${SOURCE_DIR}" "${f}")
      list(APPEND violations "${rel}: ${what}: ${l}")
    endforeach()
  endforeach()
  set(violations "${violations}" PARENT_SCOPE)
endfunction()

check_layer(core "Q[A-Za-z]+|torch/|ATen/|libav|libsw" "core must not use Qt, LibTorch or FFmpeg")
check_layer(models "Q[A-Za-z]+|ui/|app/" "models must not use Qt or the GUI")
check_layer(ui "torch/|ATen/|app/" "ui must not include LibTorch or app")
check_layer(app "torch/|ATen/" "app must not include LibTorch headers")

# The models facade (what ui/ and app/ include) and the plain-C++ files of models/ stay
# free of LibTorch, so the GUI builds without it and they compile fast.
foreach(f models/model_api.h models/bench.h models/runtime.h models/cli_plugin.h
          models/torch_pickle.h models/torch_pickle.cpp models/model_config.cpp
          models/cli_plugin.cpp)
  if(EXISTS "${SOURCE_DIR}/${f}")
    file(STRINGS "${SOURCE_DIR}/${f}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"](torch/|ATen/|c10/|caffe2/|models/net\\.h|models/model_impl\\.h)")
    foreach(l IN LISTS lines)
      list(APPEND violations "${f}: the models facade must not include LibTorch: ${l}")
    endforeach()
  endif()
endforeach()

if(violations)
  string(REPLACE ";" "\n  " msg "${violations}")
  message(FATAL_ERROR "forbidden includes:\n  ${msg}")
endif()
message(STATUS "layering ok")
