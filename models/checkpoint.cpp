// The Model handle, native checkpoints and the import of PyTorch state_dicts (LibTorch).

// GCC 12 at -O3 reports a "potential null pointer dereference" inside LibTorch's IValue
// hashing (ATen/core/ivalue_inl.h via c10 Dict::insert, which writeCheckpoint uses). The
// code is in LibTorch's headers, so the pragma must precede them.
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <caffe2/serialize/inline_container.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "core/error.h"
#include "core/output_file.h"
#include "core/quote.h"
#include "models/model_impl.h"
#include "models/runtime.h"
#include "models/torch_pickle.h"

namespace avvp::models {

namespace fs = std::filesystem;
using core::InputError;

// ---- tensors <-> arrays -------------------------------------------------------------

torch::Tensor toTensor(const Array& a) {
    if (a.size() != static_cast<std::int64_t>(a.data.size()))
        throw std::invalid_argument("array of shape " + a.shapeString() + " holds " +
                                    std::to_string(a.data.size()) + " values");
    return torch::from_blob(const_cast<float*>(a.data.data()), a.shape, torch::kFloat32).clone();
}

Array toArray(const torch::Tensor& t) {
    auto c = t.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    Array a;
    a.shape.assign(c.sizes().begin(), c.sizes().end());
    a.data.assign(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
    return a;
}

// ---- the Model handle ---------------------------------------------------------------------

Model::Model(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Model::Model(Model&&) noexcept = default;
Model& Model::operator=(Model&&) noexcept = default;
Model::~Model() = default;

Model makeModel(std::shared_ptr<Network> net, const std::string& device) {
    auto impl = std::make_unique<Model::Impl>();
    impl->device = torch::Device(resolveDevice(device));
    net->to(impl->device);
    net->eval();
    impl->net = std::move(net);
    return Model(std::move(impl));
}

Model Model::create(const ModelConfig& config, std::uint64_t seed, const std::string& device,
                    const ClassEmbeddings& tables) {
    ModelConfig c = config;
    adoptClassEmbeddings(c, tables);
    torch::manual_seed(seed);
    auto net = makeNetwork(c);
    net->setClassEmbeddings(tables);
    return makeModel(std::move(net), device);
}

const ModelConfig& Model::config() const {
    return impl_->config();
}

std::string Model::device() const {
    return impl_->device.str();
}

std::int64_t Model::parameterCount() const {
    std::int64_t n = 0;
    for (const auto& p : impl_->net->parameters()) n += p.numel();
    return n;
}

std::vector<std::pair<std::string, std::vector<std::int64_t>>> Model::parameters() const {
    std::vector<std::pair<std::string, std::vector<std::int64_t>>> out;
    for (const auto& [k, t] : stateDict(*impl_->net))
        out.emplace_back(k, std::vector<std::int64_t>(t.sizes().begin(), t.sizes().end()));
    return out;
}

std::vector<std::pair<std::string, torch::Tensor>> stateDict(const Network& net) {
    std::vector<std::pair<std::string, torch::Tensor>> out;
    for (const auto& p : net.named_parameters()) out.emplace_back(p.key(), p.value());
    for (const auto& b : net.named_buffers()) out.emplace_back(b.key(), b.value());
    return out;
}

void Model::save(const fs::path& file) const {
    writeCheckpoint(file, *impl_->net);
}

void Model::setLiteralClap(bool literal) {
    if (auto* v = dynamic_cast<ValorNet*>(impl_->net.get())) v->setLiteralClap(literal);
}

void Model::setLabelSource(const LabelSource& source) {
    impl_->net->setLabelSource(source);
}

const LabelSource& Model::labelSource() const {
    return impl_->net->labelSource();
}

NetOutputs forwardTensors(Model::Impl& m, const NetInputs& in) {
    torch::NoGradGuard g;
    m.net->eval();
    return m.net->forward(in);
}

namespace {

void checkInput(const Array& a, const std::string& name, std::int64_t batch, std::int64_t rows,
                std::int64_t dim, const std::string& kind) {
    const std::string want = "(B, " + std::to_string(rows) + ", " + std::to_string(dim) + ")";
    if (a.shape.size() != 3 || a.shape[1] != rows || a.shape[2] != dim ||
        (batch >= 0 && a.shape[0] != batch))
        throw InputError(name, 0,
                         "shape " + a.shapeString() + ", the model takes " + kind + " " + want +
                             (batch >= 0 ? " with B = " + std::to_string(batch) : ""));
    if (a.size() != static_cast<std::int64_t>(a.data.size()))
        throw InputError(name, 0,
                         "holds " + std::to_string(a.data.size()) + " values, its shape needs " +
                             std::to_string(a.size()));
    for (std::size_t i = 0; i < a.data.size(); ++i)
        if (!std::isfinite(a.data[i]))
            throw InputError(name, 0,
                             std::string(std::isnan(a.data[i]) ? "NaN" : "Inf") +
                                 " at flat element " + std::to_string(i));
}

}  // namespace

Outputs Model::forward(const Inputs& inputs) const {
    const auto& c = config();
    checkInput(inputs.audio, "audio", -1, c.audioRows, c.audioDim, c.audioFeature);
    const auto B = inputs.audio.shape[0];
    checkInput(inputs.visual, "visual", B, c.visualRows, c.visualDim, c.visualFeature);
    NetInputs in;
    in.audio = toTensor(inputs.audio).to(impl_->device);
    in.visual = toTensor(inputs.visual).to(impl_->device);
    if (c.useMotion) {
        if (!inputs.motion)
            throw InputError("motion", 0,
                             "missing: this model fuses a motion stream (B, 10, " +
                                 std::to_string(c.motionDim) + ")");
        checkInput(*inputs.motion, "motion", B, 10, c.motionDim, "motion");
        in.motion = toTensor(*inputs.motion).to(impl_->device);
    }
    auto zeroShot = [&](const std::optional<Array>& a, const std::optional<ZeroShotTable>& z,
                        const char* name) {
        if (!a || !z) return torch::Tensor();
        const auto rows = a->shape.size() == 3 ? a->shape[1] : 0;
        checkInput(*a, name, B, rows == 64 ? 64 : 10, z->table.shape[1], "segment embeddings");
        return toTensor(*a).to(impl_->device);
    };
    in.zsAudio = zeroShot(inputs.zeroShotAudio, labelSource().audio, "zero-shot audio");
    in.zsVisual = zeroShot(inputs.zeroShotVisual, labelSource().visual, "zero-shot visual");
    if (inputs.pseudoAudio.has_value() != inputs.pseudoVisual.has_value())
        throw InputError(inputs.pseudoAudio ? "pseudo visual" : "pseudo audio", 0,
                         "missing: give both segment-label arrays or neither");
    auto labels = [&](const Array& a, const char* name, std::int64_t rows) {
        checkInput(a, name, B, rows, 25, "labels");
        for (std::size_t i = 0; i < a.data.size(); ++i)
            if (a.data[i] != 0.0F && a.data[i] != 1.0F)
                throw InputError(name, 0,
                                 "value " + std::to_string(a.data[i]) + " at flat element " +
                                     std::to_string(i) + " (labels are 0 or 1)");
        return toTensor(a).to(impl_->device);
    };
    if (inputs.pseudoAudio) {
        in.pseudoAudio = labels(*inputs.pseudoAudio, "pseudo audio", 10);
        in.pseudoVisual = labels(*inputs.pseudoVisual, "pseudo visual", 10);
    }
    torch::Tensor weak;
    if (inputs.weak) {
        if (!inputs.pseudoAudio)
            throw InputError("weak", 0, "the loss needs the segment pseudo labels too");
        Array w = *inputs.weak;
        w.shape.insert(w.shape.begin() + 1, 1);  // (B, 25) -> (B, 1, 25) for the check
        if (inputs.weak->shape.size() != 2)
            throw InputError("weak", 0,
                             "shape " + inputs.weak->shapeString() + ", expected (B, 25)");
        weak = labels(w, "weak", 1).squeeze(1);
    }
    Outputs out;
    torch::NoGradGuard g;
    impl_->net->eval();
    const auto tensors = impl_->net->forward(in);
    for (const auto& [name, t] : tensors) out[name] = toArray(t);
    if (weak.defined()) {
        const auto l = impl_->net->loss(tensors, {weak, in.pseudoAudio, in.pseudoVisual});
        out["loss_total"] = toArray(l.total.reshape({1}));
        for (const auto& [k, t] : l.terms) out["loss_" + k] = toArray(t.reshape({1}));
    }
    return out;
}

// ---- reading checkpoints ----------------------------------------------------------------

namespace {

struct StorageKind {
    torch::ScalarType type;
    std::size_t width;
};

StorageKind storageKind(const std::string& name, const std::string& file) {
    static const std::map<std::string, StorageKind> kinds = {
        {"FloatStorage", {torch::kFloat32, 4}}, {"DoubleStorage", {torch::kFloat64, 8}},
        {"HalfStorage", {torch::kFloat16, 2}},  {"BFloat16Storage", {torch::kBFloat16, 2}},
        {"LongStorage", {torch::kInt64, 8}},    {"IntStorage", {torch::kInt32, 4}},
        {"ShortStorage", {torch::kInt16, 2}},   {"CharStorage", {torch::kInt8, 1}},
        {"ByteStorage", {torch::kUInt8, 1}},    {"BoolStorage", {torch::kBool, 1}}};
    auto it = kinds.find(name);
    if (it == kinds.end())
        throw InputError(file, 0, "unsupported tensor storage type " + core::quote(name));
    return it->second;
}

// The zip archive of torch.save, its pickle program unpickled and tensors materialised.
class TorchZip {
  public:
    explicit TorchZip(const fs::path& file) : file_(file.string()) {
        std::ifstream probe(file, std::ios::binary);
        if (!probe) throw InputError(file_, 0, "cannot open (missing or unreadable)");
        char head[4] = {};
        probe.read(head, 4);
        if (probe.gcount() < 4) throw InputError(file_, 0, "not a checkpoint (file too short)");
        if (!(head[0] == 'P' && head[1] == 'K')) {
            if (static_cast<unsigned char>(head[0]) == 0x80)
                throw InputError(file_, 0,
                                 "legacy (pre-1.6) torch.save format; re-save it with "
                                 "torch.save(torch.load(f), f2) under torch >= 1.6 (zip format)");
            throw InputError(file_, 0, "not a checkpoint (neither zip nor torch.save data)");
        }
        try {
            reader_ = std::make_unique<caffe2::serialize::PyTorchStreamReader>(file_);
            auto [data, size] = reader_->getRecord("data.pkl");
            const auto* bytes = static_cast<const std::byte*>(data.get());
            root_ = pickle::unpickle(std::span<const std::byte>(bytes, size));
        } catch (const InputError&) {
            throw;
        } catch (const c10::Error& e) {
            throw InputError(file_, 0,
                             "unreadable zip archive (truncated or not a torch.save file): " +
                                 firstLine(e.what_without_backtrace()));
        } catch (const std::exception& e) {
            throw InputError(file_, 0, std::string("unreadable pickle data: ") + e.what());
        }
    }

    const pickle::ValuePtr& root() const { return root_; }

    torch::Tensor tensor(const pickle::TensorRef& r) {
        const auto kind = storageKind(r.storageType, file_);
        auto it = storages_.find(r.storageKey);
        if (it == storages_.end()) {
            const std::string record = "data/" + r.storageKey;
            const auto shown = core::quote(record);
            at::DataPtr data;
            std::size_t size = 0;
            try {
                if (!reader_->hasRecord(record))
                    throw InputError(file_, 0, "tensor storage " + shown + " is missing");
                std::tie(data, size) = reader_->getRecord(record);
            } catch (const c10::Error& e) {
                throw InputError(file_, 0,
                                 "cannot read " + shown + " (truncated file?): " +
                                     firstLine(e.what_without_backtrace()));
            }
            if (size < static_cast<std::size_t>(r.storageNumel) * kind.width)
                throw InputError(file_, 0, "tensor storage " + shown + " is truncated");
            const auto n = static_cast<std::int64_t>(size / kind.width);
            auto t = torch::from_blob(data.get(), {n}, kind.type).clone();
            it = storages_.emplace(r.storageKey, t).first;
        }
        // The tensor's largest element index must lie inside the storage.
        bool empty = false;
        std::int64_t last = r.offset;
        for (std::size_t d = 0; d < r.size.size(); ++d) {
            if (r.size[d] == 0) empty = true;
            if (r.size[d] > 0) last += (r.size[d] - 1) * r.stride[d];
        }
        if (!empty && (r.offset < 0 || last >= it->second.numel()))
            throw InputError(file_, 0, "a tensor reaches past the end of its storage");
        return it->second.as_strided(r.size, r.stride, r.offset).to(torch::kFloat32).clone();
    }

    const std::string& name() const { return file_; }

  private:
    static std::string firstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

    std::string file_;
    std::unique_ptr<caffe2::serialize::PyTorchStreamReader> reader_;
    pickle::ValuePtr root_;
    std::map<std::string, torch::Tensor> storages_;
};

using pickle::Value;

bool isTensorDict(const Value& v) {
    if (v.kind != Value::Kind::Dict || v.dict.empty()) return false;
    for (const auto& [k, x] : v.dict)
        if (!k->isString() || x->kind != Value::Kind::Tensor) return false;
    return true;
}

std::map<std::string, torch::Tensor> tensors(TorchZip& zip, const Value& dict) {
    std::map<std::string, torch::Tensor> out;
    for (const auto& [k, x] : dict.dict) {
        std::string key = k->s;
        // nn.DataParallel saves "module.<name>".
        if (key.rfind("module.", 0) == 0) key = key.substr(7);
        out[key] = zip.tensor(x->tensor);
    }
    return out;
}

std::string stringEntry(const Value& root, const std::string& key, const std::string& file) {
    const auto* v = root.find(key);
    if (!v || !(*v)->isString())
        throw InputError(file, 0, "native checkpoint without '" + key + "'");
    return (*v)->s;
}

bool hasPrefix(const std::map<std::string, torch::Tensor>& w, const std::string& prefix) {
    auto it = w.lower_bound(prefix);
    return it != w.end() && it->first.rfind(prefix, 0) == 0;
}

// The variant of a state_dict by its keys: leap.* -> leap; LINK's modules -> link; else valor
// (HAN has VALOR's keys).
std::string variantFromKeys(const std::map<std::string, torch::Tensor>& w) {
    if (hasPrefix(w, "leap.")) return "leap";
    for (const char* p : {"tsam_a.", "tsam_v.", "cmim.", "plsim.", "sloss."})
        if (hasPrefix(w, p)) return "link";
    return "valor";
}

// What the weights of a state_dict say about the network; the rest from options.
ModelConfig configFromWeights(const std::map<std::string, torch::Tensor>& w, const LoadOptions& o,
                              const std::string& file) {
    const std::string variant =
        o.variant.empty() || o.variant == "auto" ? variantFromKeys(w) : o.variant;
    auto need = [&](const std::string& key) -> const torch::Tensor& {
        auto it = w.find(key);
        if (it == w.end())
            throw InputError(file, 0,
                             "not a " + variant + " state_dict: key '" + key + "' is missing");
        return it->second;
    };
    ModelConfig c;
    try {
        c = defaultConfig(variant);
    } catch (const std::invalid_argument& e) {
        throw InputError(file, 0, e.what());
    }
    const auto& fcA = need("fc_a.weight");
    const auto& fcV = need("fc_v.weight");
    if (fcA.dim() != 2 || fcV.dim() != 2) throw InputError(file, 0, "fc_a / fc_v are not matrices");
    c.hidden = static_cast<int>(fcA.size(0));
    c.audioDim = fcA.size(1);
    c.visualDim = fcV.size(1);
    c.useMotion = w.count("fc_st.weight") > 0;
    if (c.useMotion) c.motionDim = need("fc_st.weight").size(1);
    int layers = 0;
    while (w.count("hat_encoder.layers." + std::to_string(layers) + ".linear1.weight")) ++layers;
    c.layers = layers;
    c.ff =
        layers > 0 ? static_cast<int>(need("hat_encoder.layers.0.linear1.weight").size(0)) : c.ff;
    c.heads = o.heads.value_or(8);
    c.norm = o.norm.value_or("post");
    c.audioFeature = o.audioFeature.value_or(c.audioDim == 128 ? "vggish" : "clap");
    c.visualFeature = o.visualFeature.value_or(c.visualDim == 2048 ? "resnet" : "clip");
    const auto ak = core::audioFeatureFromName(c.audioFeature);
    const auto vk = core::visualFeatureFromName(c.visualFeature);
    if (!ak || !vk) throw InputError(file, 0, "unknown feature kind in the load options");
    c.audioRows = core::standardShape(*ak).rows;
    c.visualRows = core::standardShape(*vk).rows;
    // A (25, d) table of another width than H is a supplied (frozen) one; of width H it
    // imports as learned (the two are the same for inference).
    auto tableWidth = [&](const char* key, const char* param) {
        const auto& t = need(key);
        if (t.dim() != 2 || t.size(0) != 25)
            throw InputError(file, 0, std::string(key) + " is not a (25, d) table");
        if (t.size(1) != c.hidden) c.params[param] = static_cast<double>(t.size(1));
    };
    if (variant == "link") {
        c.switches["tsam"] = hasPrefix(w, "tsam_a.");
        c.switches["cmim"] = hasPrefix(w, "cmim.");
        c.switches["plsim"] = hasPrefix(w, "plsim.");
        c.switches["sloss"] = hasPrefix(w, "sloss.");
        if (c.switches["plsim"]) {
            tableWidth("plsim.class_emb_a", "class_emb_dim_a");
            tableWidth("plsim.class_emb_v", "class_emb_dim_v");
        }
    } else if (variant == "leap") {
        int decoderLayers = 0;
        while (w.count("leap.dec_a.layers." + std::to_string(decoderLayers) + ".linear1.weight"))
            ++decoderLayers;
        c.params["leap_layers"] = decoderLayers;
        tableWidth("leap.label_emb", "label_emb_dim");
    }
    c.provenance.importedFrom = file;
    try {
        validateConfig(c);
    } catch (const std::invalid_argument& e) {
        throw InputError(file, 0, std::string("cannot import: ") + e.what());
    }
    return c;
}

// NaN / Inf weights would load and give NaN outputs: refused, naming the first tensor (by
// name) that holds any, how many it holds, and how many tensors do (issue 19, item 7).
void checkFinite(const std::map<std::string, torch::Tensor>& weights, const std::string& what,
                 const std::string& file) {
    std::string first;
    std::int64_t firstCount = 0, tensorsBad = 0;
    for (const auto& [name, t] : weights) {
        if (!t.defined() || !(t.is_floating_point() || t.is_complex())) continue;
        const auto bad = t.numel() - torch::isfinite(t).sum().item<std::int64_t>();
        if (bad == 0) continue;
        if (++tensorsBad == 1) {
            first = name;
            firstCount = bad;
        }
    }
    if (tensorsBad == 0) return;
    std::string reason = what + " tensor " + core::quote(first) + " holds " +
                         std::to_string(firstCount) + " non-finite value" +
                         (firstCount == 1 ? "" : "s") + " (NaN or Inf)";
    if (tensorsBad > 1) reason += "; " + std::to_string(tensorsBad) + " tensors do";
    throw InputError(file, 0, reason + ": damaged weights (a diverged training run?)");
}

}  // namespace

LoadedCheckpoint readCheckpoint(const fs::path& file, const LoadOptions& options) {
    TorchZip zip(file);
    const Value& root = *zip.root();
    LoadedCheckpoint ck;
    const auto* format = root.kind == Value::Kind::Dict ? root.find("format") : nullptr;
    const bool native = format && (*format)->isString() && (*format)->s == "avvp-checkpoint";
    if (options.format == CheckpointFormat::Native && !native)
        throw InputError(zip.name(), 0,
                         "not a native AVVP checkpoint (a PyTorch state_dict? load it as format "
                         "pytorch or auto)");
    if (options.format == CheckpointFormat::PyTorch && native)
        throw InputError(zip.name(), 0,
                         "a native AVVP checkpoint, not a PyTorch state_dict (load it as format "
                         "native or auto)");
    if (native) {
        const auto* version = root.find("version");
        if (!version || (*version)->kind != Value::Kind::Int || (*version)->i != 1)
            throw InputError(zip.name(), 0, "native checkpoint of an unsupported version");
        ck.format = CheckpointFormat::Native;
        ck.config = configFromJson(stringEntry(root, "config", zip.name()), zip.name());
        const auto* sd = root.find("state_dict");
        if (!sd || (*sd)->kind != Value::Kind::Dict)
            throw InputError(zip.name(), 0, "native checkpoint without a state_dict");
        ck.weights = tensors(zip, **sd);
        checkFinite(ck.weights, "weight", zip.name());
        if (const auto* t = root.find("training"); t && (*t)->isString())
            ck.training.json = (*t)->s;
        if (const auto* opt = root.find("optimizer"); opt && (*opt)->kind == Value::Kind::Dict) {
            ck.training.optimizer = tensors(zip, **opt);
            checkFinite(ck.training.optimizer, "optimizer state", zip.name());
        }
        return ck;
    }
    // A PyTorch state_dict: the dict itself, or under a usual key of a training checkpoint.
    const Value* sd = &root;
    if (!isTensorDict(root) && root.kind == Value::Kind::Dict)
        for (const char* key : {"state_dict", "model_state_dict", "model"})
            if (const auto* v = root.find(key); v && isTensorDict(**v)) {
                sd = v->get();
                break;
            }
    if (!isTensorDict(*sd))
        throw InputError(zip.name(), 0,
                         "holds a " + pickle::describe(root) +
                             ", not a state_dict (a dict of parameter names to tensors)");
    ck.format = CheckpointFormat::PyTorch;
    ck.weights = tensors(zip, *sd);
    checkFinite(ck.weights, "weight", zip.name());
    ck.config = configFromWeights(ck.weights, options, zip.name());
    return ck;
}

void loadWeights(Network& net, const std::map<std::string, torch::Tensor>& weights,
                 const std::string& file) {
    std::vector<std::string> missing, wrong;
    std::set<std::string> used;
    torch::NoGradGuard g;
    for (auto& p : stateDict(net)) {
        auto it = weights.find(p.first);
        if (it == weights.end()) {
            missing.push_back(p.first);
            continue;
        }
        used.insert(p.first);
        // A scalar may be saved 0-dim or as (1,): both are one value.
        const bool scalar = it->second.numel() == 1 && p.second.numel() == 1;
        if (it->second.sizes() != p.second.sizes() && !scalar) {
            std::ostringstream s;
            s << p.first << " is " << it->second.sizes() << ", the model has " << p.second.sizes();
            wrong.push_back(s.str());
            continue;
        }
        p.second.copy_(it->second.reshape(p.second.sizes()));
    }
    std::vector<std::string> extra;
    for (const auto& [k, t] : weights)
        if (!used.count(k)) extra.push_back(core::quote(k));  // read from the file
    auto list = [](const std::vector<std::string>& v) {
        std::string s;
        for (std::size_t i = 0; i < v.size() && i < 4; ++i) s += (i ? ", " : "") + v[i];
        if (v.size() > 4) s += ", ... (" + std::to_string(v.size()) + " in all)";
        return s;
    };
    if (!wrong.empty()) throw InputError(file, 0, "shape mismatch: " + list(wrong));
    if (!missing.empty()) throw InputError(file, 0, "missing weights: " + list(missing));
    if (!extra.empty())
        throw InputError(file, 0,
                         "unexpected weights (another variant or configuration?): " + list(extra));
}

Model Model::load(const fs::path& checkpoint, const LoadOptions& options) {
    auto ck = readCheckpoint(checkpoint, options);
    std::shared_ptr<Network> net;
    try {
        net = makeNetwork(ck.config);
    } catch (const std::invalid_argument& e) {
        throw InputError(checkpoint.string(), 0, e.what());
    }
    loadWeights(*net, ck.weights, checkpoint.string());
    return makeModel(std::move(net), options.device);
}

// ---- writing checkpoints ----------------------------------------------------------------

void writeCheckpoint(const fs::path& file, const Network& net, const TrainingState* training) {
    auto tensorDict = [](const std::vector<std::pair<std::string, torch::Tensor>>& items) {
        c10::Dict<std::string, at::Tensor> d;
        for (const auto& [k, t] : items) d.insert(k, t.detach().to(torch::kCPU).contiguous());
        return d;
    };
    const auto params = stateDict(net);
    c10::impl::GenericDict root(c10::StringType::get(), c10::AnyType::get());
    root.insert(std::string("format"), std::string("avvp-checkpoint"));
    root.insert(std::string("version"), static_cast<std::int64_t>(1));
    root.insert(std::string("config"), configToJson(net.config()));
    root.insert(std::string("state_dict"), tensorDict(params));
    if (training) {
        root.insert(std::string("training"), training->json);
        std::vector<std::pair<std::string, torch::Tensor>> opt(training->optimizer.begin(),
                                                               training->optimizer.end());
        root.insert(std::string("optimizer"), tensorDict(opt));
    }
    const auto bytes = torch::pickle_save(c10::IValue(root));
    // Whole or not at all: a temporary beside the file, synced and renamed onto it.
    core::writeFileWith(file, [&](std::ostream& out) {
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    });
}

}  // namespace avvp::models
