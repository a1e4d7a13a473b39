#pragma once
// Renaming a model run (issue 17, item 6): runs carry a default name (variant, checkpoint,
// time) that a person may replace with one they can tell apart.
#include <string>
#include <string_view>

#include "core/store/store.h"

namespace avvp::store {

// The name a run may be given: `name` with surrounding whitespace removed. Throws EditError
// (nothing changed) when it is empty, or taken by another run of the store.
std::string checkRunName(const Store& store, RunId run, std::string_view name);

// Renames the run (one transaction; listeners hear a runs change). Throws EditError when the
// run does not exist or the name is refused (checkRunName); renaming to its own name is a
// no-op. Returns the name stored.
std::string renameRun(Store& store, RunId run, std::string_view newName);

}  // namespace avvp::store
