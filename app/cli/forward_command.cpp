// `avvp forward`: one batch of feature arrays through a checkpoint, every named output
// dumped as .npy.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "app/cli/model_options.h"
#include "app/cli/models_plugin.h"
#include "core/error.h"
#include "core/features.h"
#include "core/npy.h"
#include "core/quote.h"
#include "models/model_api.h"

namespace avvp::app {

namespace {

namespace fs = std::filesystem;

constexpr const char* kForwardUsage =
    R"(usage: avvp forward --checkpoint C --audio A.npy --visual V.npy [--motion M.npy] --dump-dir D

Runs one batch through a checkpoint in eval mode and writes every output as D/<name>.npy
(float32). All variants: global_prob, a_prob, v_prob (B, 25), frame_prob, frame_logits
(B, 10, 2, 25); valor, han, link: frame_att, av_att (B, 10, 2, 25); link: tsam_w_a,
tsam_w_v (B, 10), tsam_s_a, tsam_s_v (B, H), cmim_a_av, cmim_a_va (B, 10, 10),
seg_labels_a, seg_labels_v (B, 10, 25), sloss_c, sloss_r, sloss_lambda (B, 10, 10),
sloss_mu (1,), sloss_lambda_curve (B, 201, 2) (rows (c, lambda(c)) at c = -1, -0.99, ...,
1) -- each when its module is on; leap: leap_att_a, leap_att_v (B, 25, 10), sloss_c. The
arrays carry the batch dimension: audio (B, 64, 768) CLAP tokens or (B, 10, 128) VGGish,
visual (B, 10, 768) CLIP or (B, 80, 2048) ResNet152, motion (B, 10, 512).

options:
  --checkpoint-format F  auto | native | pytorch                   [default: auto]
  --variant V, --heads N, --norm post|pre   for a PyTorch state_dict (it has no
                         config; auto: link / leap by their keys, else valor)
  --pseudo-audio P.npy --pseudo-visual P.npy
                         explicit segment labels (B, 10, 25) of 0 / 1 for PLSIM and the
                         AVSS target (to check the module math against another
                         implementation; avvp infer never takes labels)
  --weak Y.npy           video labels (B, 25): with the pseudo labels, also dump the loss
                         terms loss_total, loss_<term> (1,)
  --zs-audio E.npy --zs-visual E.npy   segment embeddings (B, 10, d) or (B, 64, d) for
                         a zero-shot label source (below)
  --literal-clap         compute the CLAP frontend literally (2 x 1024 positions)
                         instead of folded onto the 10 segments
  --device D  [auto]   --threads N  [0 = all]

)";

// A (batch, rows, dim) float array from .npy; `what` names it in errors.
models::Array readBatch(const std::string& path, const char* what) {
    auto a = core::readNpy(path);
    if (a.shape.size() != 3)
        throw core::InputError(
            path, 0,
            std::string(what) + " has shape " + a.shapeString() + "; expected (batch, rows, dim)");
    core::requireFinite(a, path);
    models::Array out;
    out.shape = a.shape;
    out.data = a.type == core::NpyType::Float32 ? std::move(a.f32) : a.toFloat();
    return out;
}

// The batch arrays must agree on B. The one that differs from the others is named with its
// file (not the one checked after it); with no majority every array is named.
void requireOneBatch(const std::vector<std::pair<std::string, std::string>>& given,
                     const models::Inputs& in) {
    struct Entry {
        std::string what, file;
        std::int64_t batch;
    };
    std::vector<Entry> entries;
    auto add = [&](const char* what, const models::Array* a) {
        if (!a || a->shape.empty()) return;
        for (const auto& [w, f] : given)
            if (w == what) entries.push_back({what, f, a->shape[0]});
    };
    auto opt = [](const std::optional<models::Array>& a) { return a ? &*a : nullptr; };
    add("audio", &in.audio);
    add("visual", &in.visual);
    add("motion", opt(in.motion));
    add("zero-shot audio", opt(in.zeroShotAudio));
    add("zero-shot visual", opt(in.zeroShotVisual));
    add("pseudo audio", opt(in.pseudoAudio));
    add("pseudo visual", opt(in.pseudoVisual));
    add("weak", opt(in.weak));
    auto count = [&](std::int64_t b) {
        return std::count_if(entries.begin(), entries.end(),
                             [&](const Entry& e) { return e.batch == b; });
    };
    std::int64_t majority = -1;
    long best = 0;
    bool tie = false;
    for (const auto& e : entries) {
        const long n = count(e.batch);
        if (n > best) {
            best = n;
            majority = e.batch;
            tie = false;
        } else if (n == best && e.batch != majority) {
            tie = true;
        }
    }
    if (static_cast<std::size_t>(best) == entries.size()) return;
    std::string others;
    for (const auto& e : entries) {
        if (!tie && e.batch != majority) continue;
        others += (others.empty() ? "" : ", ") + e.what + " " + core::quote(e.file) + " has " +
                  std::to_string(e.batch);
    }
    if (tie)
        throw core::InputError(
            entries.front().file, 0,
            "the arrays disagree on the batch size B (the first extent): " + others);
    for (const auto& e : entries)
        if (e.batch != majority)
            throw core::InputError(e.file, 0,
                                   e.what + " has batch size B = " + std::to_string(e.batch) +
                                       ", the other arrays have B = " + std::to_string(majority));
}

}  // namespace

int forwardCommand(int argc, char** argv) {
    auto valued = kCommonValued;
    valued.insert(kLoadValued.begin(), kLoadValued.end());
    valued.insert({"audio", "visual", "motion", "dump-dir", "variant", "pseudo-audio",
                   "pseudo-visual", "weak"});
    valued.insert(kLabelSourceValued.begin(), kLabelSourceValued.end());
    const Options opt(argc, argv, valued, {"literal-clap"});
    applyThreads(opt);
    if (opt.help()) {
        std::fputs(kForwardUsage, stdout);
        std::fputs(kLabelSourceUsage, stdout);
        std::fputs(kZeroShotOptionsUsage, stdout);
        return 0;
    }
    const fs::path dump = opt.require("dump-dir");
    models::Inputs in;
    in.audio = readBatch(opt.require("audio"), "audio");
    in.visual = readBatch(opt.require("visual"), "visual");
    if (auto m = opt.get("motion")) in.motion = readBatch(*m, "motion");
    if (auto m = opt.get("zs-audio")) in.zeroShotAudio = readBatch(*m, "zero-shot audio");
    if (auto m = opt.get("zs-visual")) in.zeroShotVisual = readBatch(*m, "zero-shot visual");
    if (auto m = opt.get("pseudo-audio")) in.pseudoAudio = readBatch(*m, "pseudo audio");
    if (auto m = opt.get("pseudo-visual")) in.pseudoVisual = readBatch(*m, "pseudo visual");
    if (auto m = opt.get("weak")) in.weak = models::readArray(*m);
    {
        std::vector<std::pair<std::string, std::string>> given = {{"audio", *opt.get("audio")},
                                                                  {"visual", *opt.get("visual")}};
        for (const auto& [what, option] :
             std::vector<std::pair<std::string, std::string>>{{"motion", "motion"},
                                                              {"zero-shot audio", "zs-audio"},
                                                              {"zero-shot visual", "zs-visual"},
                                                              {"pseudo audio", "pseudo-audio"},
                                                              {"pseudo visual", "pseudo-visual"},
                                                              {"weak", "weak"}})
            if (auto f = opt.get(option)) given.emplace_back(what, *f);
        requireOneBatch(given, in);
    }
    auto load = loadOptions(opt);
    // A state_dict does not say which features it was trained on: the arrays do.
    if (auto k = core::audioFeatureFromRows(in.audio.shape[1]))
        load.audioFeature = std::string(core::featureName(*k));
    if (auto k = core::visualFeatureFromRows(in.visual.shape[1]))
        load.visualFeature = std::string(core::featureName(*k));
    auto model = [&] {
        try {
            return models::Model::load(opt.require("checkpoint"), load);
        } catch (const core::InputError& e) {
            throw withLoadHints(e);
        }
    }();
    model.setLiteralClap(opt.has("literal-clap"));
    model.setLabelSource(labelSource(opt));
    const auto out = model.forward(in);
    std::error_code ec;
    fs::create_directories(dump, ec);
    if (ec) throw core::InputError(dump.string(), 0, "cannot create: " + ec.message());
    for (const auto& [name, a] : out) {
        core::writeNpy(dump / (name + ".npy"), a.data, a.shape);
        std::printf("%s %s\n", (dump / (name + ".npy")).string().c_str(), a.shapeString().c_str());
    }
    return 0;
}

}  // namespace avvp::app
