# Fails when a layer includes what the architecture forbids it (docs: architecture.md):
# core/ no Qt, no LibTorch, no FFmpeg (core/formats included); core/store QtCore and QtSql
# only; core/media/ FFmpeg but no Qt, no LibTorch; models/ no Qt, no FFmpeg; ui/ and app/
# no <torch/...>.
# Run as: cmake -DSOURCE_DIR=<repo> -P check_layers.cmake
set(violations "")
function(check_layer dir regex what)
  file(GLOB_RECURSE files "${SOURCE_DIR}/${dir}/*.h" "${SOURCE_DIR}/${dir}/*.cpp")
  foreach(f IN LISTS files)
    if(dir STREQUAL "core" AND f MATCHES "/core/(media|store)/")
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

# core/store: QtCore and QtSql (their Q* headers), nothing of QtGui / QtWidgets, LibTorch,
# FFmpeg, the GUI or the app.
file(GLOB_RECURSE store_files "${SOURCE_DIR}/core/store/*.h" "${SOURCE_DIR}/core/store/*.cpp")
set(store_forbidden "QtGui|QtWidgets|QWidget|Q[A-Za-z]*Application|QPixmap|QImage|QUndo|QAction|torch/|ATen/|libav|libsw|ui/|app/|core/media/")
foreach(f IN LISTS store_files)
  file(STRINGS "${f}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"](${store_forbidden})")
  foreach(l IN LISTS lines)
    file(RELATIVE_PATH rel "${SOURCE_DIR}" "${f}")
    list(APPEND violations "${rel}: core/store may use QtCore and QtSql only: ${l}")
  endforeach()
endforeach()
check_layer(core "core/media/" "core must not use the media layer")
check_layer(core/media "Q[A-Za-z]+|torch/|ATen/|models/|ui/|app/|core/store/"
            "core/media must use FFmpeg and core only (no Qt, no LibTorch)")
check_layer(models "libav|libsw|core/media/" "models must not use FFmpeg (core/media)")
check_layer(ui "torch/|ATen/|app/|models/net\\.h|models/model_impl\\.h"
            "ui must not include LibTorch, the models internals or app")
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
