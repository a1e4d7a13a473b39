#pragma once
// The options the model commands share (info, train, infer, forward): threads, how a
// checkpoint is loaded, LINK's label source at inference; and the mapping of a library
// error to the option that fixes it.
#include <functional>
#include <initializer_list>
#include <set>
#include <string>
#include <string_view>

#include "app/cli/options.h"
#include "core/error.h"
#include "models/model_api.h"

namespace avvp::app {

// Valued options of every model command: --device, --threads.
extern const std::set<std::string> kCommonValued;
// Valued options of the commands that load a checkpoint: --checkpoint,
// --checkpoint-format, --heads, --norm, --batch.
extern const std::set<std::string> kLoadValued;
// Valued options of LINK's label source: --zs-audio-table, --zs-visual-table,
// --zs-audio-threshold, --zs-visual-threshold, --zs-audio, --zs-visual.
extern const std::set<std::string> kLabelSourceValued;
// The help paragraph on LINK's label source (infer, forward), followed by
// kZeroShotOptionsUsage, the zero-shot options themselves (also pseudo-labels).
extern const char* const kLabelSourceUsage;
extern const char* const kZeroShotOptionsUsage;

// Sets LibTorch's CPU threads from --threads (0 = one per hardware thread).
void applyThreads(const Options& opt);

// --device, --variant, --checkpoint-format, --heads, --norm.
models::LoadOptions loadOptions(const Options& opt);

// LINK's label source: zero-shot tables (--zs-M-table, --zs-M-threshold) per modality.
models::LabelSource labelSource(const Options& opt);
// The folders of segment embeddings (--zs-audio / --zs-visual DIR) of a zero-shot label
// source (infer, train's validation).
models::ZeroShotFolders zeroShotFolders(const Options& opt, const models::LabelSource& s);

// models/ names what is wrong and what to do in its own words ("resume it or choose a new
// output folder"); the CLI names the option that does it, as avvp always has. A hint
// replaces the reason's ending `library` with `cli`.
struct OptionHint {
    std::string_view library, cli;
};
// `e` with the first matching hint applied (a copy of `e` when none matches).
core::InputError withOptionHints(const core::InputError& e,
                                 std::initializer_list<OptionHint> hints);
// The hints of loading a checkpoint (--checkpoint-format).
core::InputError withLoadHints(const core::InputError& e);

// Runs the model command `cmd` of a plugin entry point and turns what it throws into the
// CLI's one-line errors and exit codes: a usage error (pointing at `avvp <helpHint>`), bad
// input or an invalid argument exit 2; anything else exits 1 with its first line.
int runPluginCommand(const std::string& cmd, const std::string& helpHint,
                     const std::function<int()>& run);

}  // namespace avvp::app
