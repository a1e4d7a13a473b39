// ModelConfig: defaults, validation, JSON (no LibTorch in this file).
#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "core/error.h"
#include "core/features.h"
#include "core/npy.h"
#include "core/taxonomy.h"
#include "models/model_api.h"

namespace avvp::models {

std::int64_t Array::size() const {
    std::int64_t n = 1;
    for (auto d : shape) n *= d;
    return n;
}

std::string Array::shapeString() const {
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + (shape.size() == 1 ? ",)" : ")");
}

std::vector<std::string> knownVariants() {
    return {"link", "valor", "leap", "han"};
}

namespace {

const std::vector<std::string> kLinkSwitches = {"tsam", "cmim", "plsim", "sloss"};

bool isInteger(double x, double lo, double hi) {
    return x >= lo && x <= hi && x == static_cast<double>(static_cast<std::int64_t>(x));
}

}  // namespace

ModelConfig defaultConfig(const std::string& variant) {
    ModelConfig c;
    bool known = false;
    for (const auto& v : knownVariants()) known = known || v == variant;
    if (!known) throw std::invalid_argument("unknown model variant '" + variant + "'");
    c.variant = variant;
    c.classes.assign(core::kClassNames.begin(), core::kClassNames.end());
    if (variant == "link") {
        for (const auto& s : kLinkSwitches) c.switches[s] = true;
    } else if (variant == "leap") {
        c.params["leap_layers"] = 2;
        c.params["leap_heads"] = 8;
    } else if (variant == "han") {
        // HAN (ECCV'20), model.md section 5: VGGish + ResNet152 + R(2+1)D.
        c.hidden = 512;
        c.layers = 1;
        c.heads = 1;
        c.ff = 512;
        c.audioFeature = "vggish";
        c.audioRows = core::kVggishShape.rows;
        c.audioDim = core::kVggishShape.dim;
        c.visualFeature = "resnet";
        c.visualRows = core::kResnetShape.rows;
        c.visualDim = core::kResnetShape.dim;
        c.useMotion = true;
    }
    return c;
}

void setSwitch(ModelConfig& c, const std::string& name, bool on) {
    if (c.variant != "link")
        throw std::invalid_argument("switch '" + name + "' is LINK's; this is a " + c.variant +
                                    " model");
    if (std::find(kLinkSwitches.begin(), kLinkSwitches.end(), name) == kLinkSwitches.end())
        throw std::invalid_argument("unknown LINK switch '" + name +
                                    "' (tsam, cmim, plsim, sloss)");
    c.switches[name] = on;
}

bool switchOn(const ModelConfig& c, const std::string& name) {
    auto it = c.switches.find(name);
    return it == c.switches.end() ? c.variant == "link" : it->second;
}

void validateConfig(const ModelConfig& c) {
    auto bad = [](const std::string& why) { throw std::invalid_argument(why); };
    bool known = false;
    for (const auto& v : knownVariants()) known = known || v == c.variant;
    if (!known) bad("unknown model variant '" + c.variant + "'");
    if (c.hidden < 1 || c.hidden > 65536) bad("hidden size must be in [1, 65536]");
    if (c.layers < 0 || c.layers > 64) bad("layers must be in [0, 64]");
    if (c.heads < 1 || c.hidden % c.heads != 0)
        bad("hidden size " + std::to_string(c.hidden) + " is not a multiple of " +
            std::to_string(c.heads) + " heads");
    if (c.ff < 1) bad("feed-forward width must be positive");
    if (!(c.dropout >= 0.0 && c.dropout < 1.0)) bad("dropout must be in [0, 1)");
    if (c.norm != "post" && c.norm != "pre") bad("norm must be post or pre, not '" + c.norm + "'");
    const auto ak = core::audioFeatureFromName(c.audioFeature);
    if (!ak) bad("audio feature must be clap or vggish, not '" + c.audioFeature + "'");
    const auto vk = core::visualFeatureFromName(c.visualFeature);
    if (!vk) bad("visual feature must be clip or resnet, not '" + c.visualFeature + "'");
    if (core::standardShape(*ak).rows != c.audioRows)
        bad(c.audioFeature + " audio features have " +
            std::to_string(core::standardShape(*ak).rows) + " rows, the config says " +
            std::to_string(c.audioRows));
    if (core::standardShape(*vk).rows != c.visualRows)
        bad(c.visualFeature + " visual features have " +
            std::to_string(core::standardShape(*vk).rows) + " rows, the config says " +
            std::to_string(c.visualRows));
    if (c.audioDim < 1 || c.visualDim < 1 || c.motionDim < 1)
        bad("feature widths must be positive");
    if (c.classes.size() != static_cast<std::size_t>(core::kNumClasses))
        bad("the class list has " + std::to_string(c.classes.size()) + " names, expected 25");
    for (std::size_t i = 0; i < c.classes.size(); ++i)
        if (c.classes[i] != core::kClassNames[i])
            bad("class " + std::to_string(i) + " is '" + c.classes[i] + "', expected '" +
                std::string(core::kClassNames[i]) + "' (LLP order)");
    // Variant switches and params: only the known names, with sane values.
    std::vector<std::string> switches, params;
    if (c.variant == "link") {
        switches = kLinkSwitches;
        params = {"class_emb_dim_a", "class_emb_dim_v", "plsim_self_mix"};
    } else if (c.variant == "leap") {
        params = {"leap_layers", "leap_heads", "label_emb_dim"};
    }
    for (const auto& [k, v] : c.switches)
        if (std::find(switches.begin(), switches.end(), k) == switches.end())
            bad("unknown switch '" + k + "' for a " + c.variant + " model");
    for (const auto& [k, v] : c.params) {
        if (std::find(params.begin(), params.end(), k) == params.end())
            bad("unknown parameter '" + k + "' for a " + c.variant + " model");
        if (k == "plsim_self_mix") {
            if (!(v >= 0.0 && v <= 1.0)) bad(k + " must be in [0, 1]");
        } else if (!isInteger(v, 1, 1 << 20)) {
            bad(k + " must be a positive integer");
        }
    }
    if (c.variant == "leap") {
        const auto layers = c.params.find("leap_layers");
        const auto heads = c.params.find("leap_heads");
        if (layers == c.params.end() || heads == c.params.end())
            bad("a leap model needs leap_layers and leap_heads");
        if (layers->second > 16) bad("leap_layers must be in [1, 16]");
        if (c.hidden % static_cast<int>(heads->second) != 0)
            bad("hidden size " + std::to_string(c.hidden) + " is not a multiple of " +
                std::to_string(static_cast<int>(heads->second)) + " LEAP decoder heads");
    }
}

Array readArray(const std::filesystem::path& file) {
    auto n = core::readNpy(file);
    core::requireFinite(n, file.string());
    Array a;
    a.shape = n.shape;
    a.data = n.type == core::NpyType::Float32 ? std::move(n.f32) : n.toFloat();
    return a;
}

Array readClassEmbedding(const std::filesystem::path& file) {
    auto a = readArray(file);
    if (a.shape.size() != 2 || a.shape[0] != core::kNumClasses || a.shape[1] < 1)
        throw core::InputError(file.string(), 0,
                               "a class-embedding table must be (25, d) in LLP class order, "
                               "not " +
                                   a.shapeString());
    return a;
}

void adoptClassEmbeddings(ModelConfig& c, const ClassEmbeddings& e) {
    auto width = [](const Array& a, const char* what) {
        if (a.shape.size() != 2 || a.shape[0] != core::kNumClasses || a.shape[1] < 1)
            throw std::invalid_argument(std::string(what) + " table must be (25, d), not " +
                                        a.shapeString());
        return static_cast<double>(a.shape[1]);
    };
    if ((e.audio || e.visual) && c.variant != "link")
        throw std::invalid_argument("audio / visual class-embedding tables are LINK's (PLSIM)");
    if (e.label && c.variant != "leap")
        throw std::invalid_argument("a label-embedding table is LEAP's");
    if (e.audio) c.params["class_emb_dim_a"] = width(*e.audio, "the audio class-embedding");
    if (e.visual) c.params["class_emb_dim_v"] = width(*e.visual, "the visual class-embedding");
    if (e.label) c.params["label_emb_dim"] = width(*e.label, "the label-embedding");
}

TrainOptions defaultTrainOptions(const std::string& variant) {
    TrainOptions t;
    t.model = defaultConfig(variant);
    if (variant == "han") {
        t.optimizer = "adam";
        t.schedule = "step";
        t.lrMax = 3e-4;
        t.epochs = 40;
        t.batch = 16;
        t.stepEvery = 10;
        t.stepGamma = 0.1;
        t.beta1 = 0.9;
        t.beta2 = 0.999;
        t.weightDecay = 0.0;
        t.clipNorm = 0.0;
    }
    return t;
}

std::string configToJson(const ModelConfig& c) {
    nlohmann::ordered_json j;
    j["format"] = "avvp-model-config";
    j["version"] = 1;
    j["variant"] = c.variant;
    j["hidden"] = c.hidden;
    j["layers"] = c.layers;
    j["heads"] = c.heads;
    j["ff"] = c.ff;
    j["dropout"] = c.dropout;
    j["norm"] = c.norm;
    j["audio"] = {{"feature", c.audioFeature}, {"rows", c.audioRows}, {"dim", c.audioDim}};
    j["visual"] = {{"feature", c.visualFeature}, {"rows", c.visualRows}, {"dim", c.visualDim}};
    j["motion"] = {{"use", c.useMotion}, {"dim", c.motionDim}};
    j["switches"] = c.switches;
    j["params"] = c.params;
    j["classes"] = c.classes;
    const auto& p = c.provenance;
    j["provenance"] = {{"features", p.features},
                       {"labels", p.labels},
                       {"epochs", p.epochs},
                       {"seed", p.seed},
                       {"best_epoch", p.bestEpoch},
                       {"best_val_seg_type_av", p.bestScore},
                       {"imported_from", p.importedFrom}};
    return j.dump(1);
}

ModelConfig configFromJson(const std::string& json, const std::string& source) {
    try {
        const auto j = nlohmann::json::parse(json);
        if (j.value("format", "") != "avvp-model-config")
            throw core::InputError(source, 0, "not an AVVP model config (no format field)");
        if (j.value("version", 0) != 1)
            throw core::InputError(source, 0,
                                   "model config version " + std::to_string(j.value("version", 0)) +
                                       " is not supported by this build (1)");
        ModelConfig c;
        c.variant = j.at("variant").get<std::string>();
        c.hidden = j.at("hidden").get<int>();
        c.layers = j.at("layers").get<int>();
        c.heads = j.at("heads").get<int>();
        c.ff = j.at("ff").get<int>();
        c.dropout = j.at("dropout").get<double>();
        c.norm = j.at("norm").get<std::string>();
        c.audioFeature = j.at("audio").at("feature").get<std::string>();
        c.audioRows = j.at("audio").at("rows").get<std::int64_t>();
        c.audioDim = j.at("audio").at("dim").get<std::int64_t>();
        c.visualFeature = j.at("visual").at("feature").get<std::string>();
        c.visualRows = j.at("visual").at("rows").get<std::int64_t>();
        c.visualDim = j.at("visual").at("dim").get<std::int64_t>();
        c.useMotion = j.at("motion").at("use").get<bool>();
        c.motionDim = j.at("motion").at("dim").get<std::int64_t>();
        c.switches = j.value("switches", std::map<std::string, bool>{});
        c.params = j.value("params", std::map<std::string, double>{});
        c.classes = j.at("classes").get<std::vector<std::string>>();
        if (j.contains("provenance")) {
            const auto& p = j["provenance"];
            c.provenance.features = p.value("features", "");
            c.provenance.labels = p.value("labels", "");
            c.provenance.epochs = p.value("epochs", 0);
            c.provenance.seed = p.value("seed", std::uint64_t{0});
            c.provenance.bestEpoch = p.value("best_epoch", 0);
            c.provenance.bestScore = p.value("best_val_seg_type_av", 0.0);
            c.provenance.importedFrom = p.value("imported_from", "");
        }
        validateConfig(c);
        return c;
    } catch (const nlohmann::json::exception& e) {
        throw core::InputError(source, 0, std::string("malformed model config: ") + e.what());
    } catch (const std::invalid_argument& e) {
        throw core::InputError(source, 0, std::string("bad model config: ") + e.what());
    }
}

void adoptFeatures(ModelConfig& c, const core::FeatureSpec& spec) {
    c.audioFeature = std::string(core::featureName(spec.audio));
    c.audioRows = spec.audioShape.rows;
    c.audioDim = spec.audioShape.dim;
    c.visualFeature = std::string(core::featureName(spec.visual));
    c.visualRows = spec.visualShape.rows;
    c.visualDim = spec.visualShape.dim;
    c.useMotion = spec.motion;
    if (spec.motion) c.motionDim = spec.motionShape.dim;
}

void checkFeatures(const ModelConfig& c, const core::FeatureSpec& spec, const std::string& where) {
    auto refuse = [&](const std::string& why) {
        throw core::InputError(where, 0, "features do not fit the model: " + why);
    };
    auto shape = [](std::int64_t r, std::int64_t d) {
        return "(" + std::to_string(r) + ", " + std::to_string(d) + ")";
    };
    if (spec.audioShape.rows != c.audioRows || spec.audioShape.dim != c.audioDim)
        refuse("audio is " + std::string(core::featureName(spec.audio)) + " " +
               shape(spec.audioShape.rows, spec.audioShape.dim) + ", the model takes " +
               c.audioFeature + " " + shape(c.audioRows, c.audioDim));
    if (spec.visualShape.rows != c.visualRows || spec.visualShape.dim != c.visualDim)
        refuse("visual is " + std::string(core::featureName(spec.visual)) + " " +
               shape(spec.visualShape.rows, spec.visualShape.dim) + ", the model takes " +
               c.visualFeature + " " + shape(c.visualRows, c.visualDim));
    if (c.useMotion && !spec.motion)
        refuse("the model fuses a motion stream (motion/ folder) and there is none");
    if (c.useMotion && spec.motionShape.dim != c.motionDim)
        refuse("motion is " + shape(spec.motionShape.rows, spec.motionShape.dim) +
               ", the model takes " + shape(10, c.motionDim));
}

std::optional<CheckpointFormat> checkpointFormatFromName(const std::string& n) {
    if (n == "auto") return CheckpointFormat::Auto;
    if (n == "native") return CheckpointFormat::Native;
    if (n == "pytorch") return CheckpointFormat::PyTorch;
    return std::nullopt;
}

}  // namespace avvp::models
