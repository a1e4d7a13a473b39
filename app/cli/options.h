#pragma once
// The option parser lives in core so that the plugin libraries (models, media, store)
// parse their commands the same way as the CLI itself.
#include "core/options.h"

namespace avvp::app {
using core::Options;
using core::UsageError;
}  // namespace avvp::app
