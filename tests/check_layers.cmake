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
foreach(f models/model_api.h models/bench.h models/reproduce.h models/runtime.h
          models/encoders.h models/export.h models/torch_pickle.h models/torch_pickle.cpp
          models/model_config.cpp models/reproduce.cpp models/encoder_manifest.cpp
          models/windowed_run.h models/windowed_run.cpp)
  if(EXISTS "${SOURCE_DIR}/${f}")
    file(STRINGS "${SOURCE_DIR}/${f}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"](torch/|ATen/|c10/|caffe2/|models/net\\.h|models/model_impl\\.h)")
    foreach(l IN LISTS lines)
      list(APPEND violations "${f}: the models facade must not include LibTorch: ${l}")
    endforeach()
  endif()
endforeach()

# models/ is a library with no CLI text (the `avvp` commands are in app/cli): no string
# literal holds usage text ("usage:") or names a command-line option ("--name"), and no
# core::UsageError is thrown; its errors name the value or the file that is wrong. The
# one exception is referenceCommandLine() in models/bench.cpp, the command line of
# tools/pytorch_reference/bench_reference.py (that script's flags, not ours): exactly
# that function is left out of the check.
file(GLOB models_files "${SOURCE_DIR}/models/*.h" "${SOURCE_DIR}/models/*.cpp")
foreach(f IN LISTS models_files)
  file(RELATIVE_PATH rel "${SOURCE_DIR}" "${f}")
  file(READ "${f}" text)
  if(rel STREQUAL "models/bench.cpp")
    string(REGEX REPLACE "std::string referenceCommandLine\\([^}]*}" "" text "${text}")
  endif()
  # Comments may cite a command ("what `avvp infer` writes"); only code counts.
  string(REGEX REPLACE "//[^\n]*" "" code "${text}")
  if(code MATCHES "UsageError")
    list(APPEND violations "${rel}: models must not throw core::UsageError (CLI text)")
  endif()
  # String literals: raw R"(...)" and plain "..." ones.
  string(REGEX MATCHALL "R\"\\(([^)]|\\)[^\"])*\\)\"|\"([^\"\\\\\n]|\\\\.)*\""
         literals "${code}")
  foreach(lit IN LISTS literals)
    if(lit MATCHES "usage:" OR lit MATCHES "--[A-Za-z]")
      string(REPLACE "\n" " " shown "${lit}")
      string(SUBSTRING "${shown}" 0 80 shown)
      list(APPEND violations "${rel}: models must hold no CLI text (an option, usage): ${shown}")
    endif()
  endforeach()
endforeach()

# ui/ holds views only (Sonic Visualiser's svgui): they see the project through
# ui::Document and emit requests; the application layer (app/workspace) opens stores,
# runs and trains models, evaluates, imports, exports and keeps the settings.
check_layer(ui "app/|QSettings|core/store/llp_import\\.h|core/store/store_evaluation\\.h"
            "ui holds views only: no app/, no settings, no importers or store scoring")
file(GLOB_RECURSE ui_files "${SOURCE_DIR}/ui/*.h" "${SOURCE_DIR}/ui/*.cpp")
foreach(f IN LISTS ui_files)
  file(RELATIVE_PATH rel "${SOURCE_DIR}" "${f}")
  file(READ "${f}" text)
  string(REGEX REPLACE "//[^\n]*" "" code "${text}")
  foreach(call "Store::open" "models::train" "Model::load" "Model::create" "models::predict"
               "models::infer" "\\.forward\\(" "evaluateSelection" "putProbabilities"
               "addEvaluation")
    if(code MATCHES "${call}")
      list(APPEND violations "${rel}: ui holds views only, it must not call ${call}")
    endif()
  endforeach()
endforeach()
# app/workspace is widget-free: no QtWidgets, no views.
check_layer(app/workspace "ui/|app/studio/|app/cli/|QtWidgets|QWidget|QDialog|QMainWindow|QMessageBox|QApplication|QFileDialog|QInputDialog|QLabel|QPushButton|QComboBox|QAction"
            "app/workspace is widget-free (no QtWidgets, no views, no executables)")

if(violations)
  string(REPLACE ";" "\n  " msg "${violations}")
  message(FATAL_ERROR "forbidden includes:\n  ${msg}")
endif()
message(STATUS "layering ok")
