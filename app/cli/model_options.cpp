#include "app/cli/model_options.h"
#include "app/common/paths.h"
#include "core/quote.h"
#include "core/zero_shot_preset.h"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

namespace avvp::app {

const std::set<std::string> kCommonValued = {"device", "threads"};
const std::set<std::string> kLoadValued = {"checkpoint", "checkpoint-format", "heads", "norm",
                                           "batch"};
const std::set<std::string> kLabelSourceValued = {"zs-audio-table",
                                                  "zs-visual-table",
                                                  "zs-audio-threshold",
                                                  "zs-visual-threshold",
                                                  "zs-audio",
                                                  "zs-visual",
                                                  "zs-rule",
                                                  "zs-preset",
                                                  "zs-audio-logit-scale",
                                                  "zs-visual-logit-scale"};

const char* const kLabelSourceUsage =
    R"(LINK's PLSIM labels at inference (never ground truth or weak labels): by default the
model's own labels (a first pass with PLSIM fed zeros, frame_prob >= 0.5, then a second
pass). Zero-shot labels per modality instead, cos(segment embedding, class text
embedding) >= threshold:
)";

const char* const kZeroShotOptionsUsage =
    R"(  --zs-audio-table T.npy  --zs-visual-table T.npy   (25, d) class text embeddings
  --zs-audio-threshold X|F.npy  --zs-visual-threshold X|F.npy
                         one threshold for all classes, or 25 per-class values [0.25]
  --zs-rule cosine|valor  cosine: the rule above [cosine]. valor: VALOR's rule as LINK
                         uses it at test time, logit_scale * cos > the class's threshold,
                         with the published per-class thresholds (resources/zero_shot/
                         valor_llp.tsv; a --zs-M-threshold overrides a modality's)
  --zs-preset F.tsv      another preset of the same columns (class, audio_threshold,
                         visual_threshold, audio_prompt, visual_prompt)
  --zs-audio-logit-scale S   CLAP's logit_scale_a (exp of the checkpoint's; required
                         for --zs-rule valor with an audio table)
  --zs-visual-logit-scale S  CLIP's logit scale [100]
)";

void applyThreads(const Options& opt) {
    models::setCpuThreads(static_cast<int>(opt.getInt("threads", 0, 0, 4096)));
}

models::LoadOptions loadOptions(const Options& opt) {
    models::LoadOptions l;
    l.device = opt.get("device", "auto");
    l.variant = opt.get("variant", "auto");
    if (l.variant != "auto") {
        const auto known = models::knownVariants();
        if (std::find(known.begin(), known.end(), l.variant) == known.end())
            throw UsageError("--variant must be auto, link, valor, leap or han, not '" + l.variant +
                             "'");
    }
    if (auto f = opt.get("checkpoint-format")) {
        auto k = models::checkpointFormatFromName(*f);
        if (!k)
            throw UsageError("--checkpoint-format must be auto, native or pytorch, not '" + *f +
                             "'");
        l.format = *k;
    }
    if (opt.has("heads")) l.heads = static_cast<int>(opt.getInt("heads", 8, 1, 1024));
    if (auto n = opt.get("norm")) {
        if (*n != "post" && *n != "pre") throw UsageError("--norm must be post or pre");
        l.norm = *n;
    }
    return l;
}

namespace {

// --zs-M-threshold: one value for every class, or a .npy of 25 per-class values.
std::vector<float> thresholds(const Options& opt, const std::string& name, double limit = 1.0) {
    const std::string v = opt.get(name, "0.25");
    if (v.size() > 4 && v.substr(v.size() - 4) == ".npy") {
        const auto a = models::readArray(v);
        if (a.data.size() != 25)
            throw core::InputError(
                v, 0, "per-class thresholds must be 25 values, not " + a.shapeString());
        return a.data;
    }
    return std::vector<float>(25, static_cast<float>(opt.getDouble(name, 0.25, -limit, limit)));
}

// VALOR's rule (--zs-rule valor): the preset's per-class thresholds on logit_scale * cos,
// strictly greater; --zs-M-threshold still overrides a modality's thresholds.
void applyValorRule(const Options& opt, models::LabelSource& s) {
    const std::filesystem::path file =
        opt.get("zs-preset").value_or(bundledZeroShotPreset("valor_llp").string());
    const auto preset = core::readZeroShotPreset(file);
    auto apply = [&](std::optional<models::ZeroShotTable>& z, const std::string& m,
                     const std::vector<float>& published, std::optional<double> defaultScale) {
        if (!z) return;
        const std::string scaleName = "zs-" + m + "-logit-scale";
        if (!opt.has(scaleName) && !defaultScale)
            throw UsageError("--zs-rule valor needs --" + scaleName +
                             " S, the encoder's logit scale (CLAP: exp(logit_scale_a))");
        z->logitScale =
            static_cast<float>(opt.getDouble(scaleName, defaultScale.value_or(1.0), 1e-6, 1e6));
        z->strict = true;
        const std::string thrName = "zs-" + m + "-threshold";
        z->thresholds = opt.has(thrName) ? thresholds(opt, thrName, 1e6) : published;
    };
    apply(s.audio, "audio", preset.audioThresholds, std::nullopt);
    apply(s.visual, "visual", preset.visualThresholds, 100.0);
}

}  // namespace

models::LabelSource labelSource(const Options& opt) {
    const std::string rule = opt.get("zs-rule", "cosine");
    if (rule != "cosine" && rule != "valor")
        throw UsageError("--zs-rule must be cosine or valor, not " + core::quote(rule));
    if (rule == "cosine")
        for (const char* o : {"zs-preset", "zs-audio-logit-scale", "zs-visual-logit-scale"})
            if (opt.has(o)) throw UsageError(std::string("--") + o + " is for --zs-rule valor");
    models::LabelSource s;
    auto table = [&](const char* m) -> std::optional<models::ZeroShotTable> {
        const auto t = opt.get(std::string("zs-") + m + "-table");
        if (!t) return std::nullopt;
        models::ZeroShotTable z{models::readClassEmbedding(*t), {}};
        if (rule == "cosine") z.thresholds = thresholds(opt, std::string("zs-") + m + "-threshold");
        return z;
    };
    s.audio = table("audio");
    s.visual = table("visual");
    if (rule == "valor") applyValorRule(opt, s);
    return s;
}

models::ZeroShotFolders zeroShotFolders(const Options& opt, const models::LabelSource& s) {
    models::ZeroShotFolders z;
    if (auto d = opt.get("zs-audio")) z.audio = *d;
    if (auto d = opt.get("zs-visual")) z.visual = *d;
    if (s.audio.has_value() != !z.audio.empty() || s.visual.has_value() != !z.visual.empty())
        throw UsageError("a zero-shot label source needs both --zs-M-table and --zs-M DIR");
    return z;
}

core::InputError withOptionHints(const core::InputError& e,
                                 std::initializer_list<OptionHint> hints) {
    const std::string& reason = e.reason();
    for (const auto& h : hints)
        if (reason.ends_with(h.library))
            return {e.file(), e.line(),
                    reason.substr(0, reason.size() - h.library.size()) + std::string(h.cli)};
    return e;
}

core::InputError withLoadHints(const core::InputError& e) {
    return withOptionHints(e,
                           {{"(a PyTorch state_dict? load it as format pytorch or auto)",
                             "(a PyTorch state_dict? use --checkpoint-format pytorch or auto)"},
                            {"not a PyTorch state_dict (load it as format native or auto)",
                             "not a PyTorch state_dict (use --checkpoint-format native or auto)"}});
}

int runPluginCommand(const std::string& cmd, const std::string& helpHint,
                     const std::function<int()>& run) {
    try {
        return run();
    } catch (const UsageError& e) {
        std::fprintf(stderr, "avvp %s: %s (see avvp %s)\n", cmd.c_str(),
                     core::oneLine(e.what()).c_str(), helpHint.c_str());
        return 2;
    } catch (const core::InputError& e) {
        std::fprintf(stderr, "avvp %s: error: %s\n", cmd.c_str(), core::oneLine(e.what()).c_str());
        return 2;
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "avvp %s: error: %s\n", cmd.c_str(), core::oneLine(e.what()).c_str());
        return 2;
    } catch (const std::exception& e) {
        std::string what = e.what();
        std::fprintf(stderr, "avvp %s: error: %s\n", cmd.c_str(),
                     core::oneLine(what.substr(0, what.find('\n'))).c_str());
        return 1;
    }
}

}  // namespace avvp::app
