#pragma once
// libavvp_models.so hides its symbols by default; the facade types and functions other
// libraries link against (the media CLI plugin, tests, benchmarks) are marked with this.
#define AVVP_MODELS_API __attribute__((visibility("default")))
