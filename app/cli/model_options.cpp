#include "app/cli/model_options.h"
#include "core/quote.h"

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
const std::set<std::string> kLabelSourceValued = {"zs-audio-table",     "zs-visual-table",
                                                  "zs-audio-threshold", "zs-visual-threshold",
                                                  "zs-audio",           "zs-visual"};

const char* const kLabelSourceUsage =
    R"(LINK's PLSIM labels at inference (never ground truth or weak labels): by default the
model's own labels (a first pass with PLSIM fed zeros, frame_prob >= 0.5, then a second
pass). Zero-shot labels per modality instead, cos(segment embedding, class text
embedding) >= threshold:
  --zs-audio-table T.npy  --zs-visual-table T.npy   (25, d) class text embeddings
  --zs-audio-threshold X|F.npy  --zs-visual-threshold X|F.npy
                         one threshold for all classes, or 25 per-class values [0.25]
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
std::vector<float> thresholds(const Options& opt, const std::string& name) {
    const std::string v = opt.get(name, "0.25");
    if (v.size() > 4 && v.substr(v.size() - 4) == ".npy") {
        const auto a = models::readArray(v);
        if (a.data.size() != 25)
            throw core::InputError(
                v, 0, "per-class thresholds must be 25 values, not " + a.shapeString());
        return a.data;
    }
    return std::vector<float>(25, static_cast<float>(opt.getDouble(name, 0.25, -1.0, 1.0)));
}

}  // namespace

models::LabelSource labelSource(const Options& opt) {
    models::LabelSource s;
    if (auto t = opt.get("zs-audio-table"))
        s.audio = models::ZeroShotTable{models::readClassEmbedding(*t),
                                        thresholds(opt, "zs-audio-threshold")};
    if (auto t = opt.get("zs-visual-table"))
        s.visual = models::ZeroShotTable{models::readClassEmbedding(*t),
                                         thresholds(opt, "zs-visual-threshold")};
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
