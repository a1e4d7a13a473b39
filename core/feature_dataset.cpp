#include "core/feature_dataset.h"

#include <initializer_list>

#include "core/error.h"
#include "core/npy.h"

namespace avvp::core {

namespace fs = std::filesystem;

std::vector<FeatureVideo> featureVideos(const WeakLabelFile& split) {
    std::vector<FeatureVideo> out;
    out.reserve(split.rows.size());
    for (const auto& r : split.rows)
        out.push_back({r.filename, std::string(featureId(r.filename)), r.classes});
    return out;
}

namespace {

std::vector<float> takeFloat(NpyArray&& a) {
    if (a.type == NpyType::Float32) return std::move(a.f32);
    return a.toFloat();
}

FeatureShape shapeOf(const fs::path& file) {
    const auto info = readNpyHeader(file);
    if (info.shape.size() != 2)
        throw InputError(file.string(), 0,
                         "shape " + info.shapeString() +
                             ": a feature file holds one 2-D array "
                             "(rows, dim) per video");
    return {info.shape[0], info.shape[1]};
}

// The shape of a stream's first file; its row count must be one `kindOf` knows.
template <typename KindOf>
auto detect(const fs::path& file, FeatureShape& shape, const char* stream, const char* expected,
            KindOf kindOf) {
    shape = shapeOf(file);
    const auto kind = kindOf(shape.rows);
    if (!kind)
        throw InputError(file.string(), 0,
                         std::string(stream) + " features with " + std::to_string(shape.rows) +
                             " rows: expected " + expected);
    return *kind;
}

bool useStream(StreamUse use, const fs::path& folder) {
    if (use == StreamUse::Off) return false;
    if (fs::is_directory(folder)) return true;
    if (use == StreamUse::Required)
        throw InputError(folder.string(), 0, "missing folder (this run needs it)");
    return false;
}

}  // namespace

std::vector<float> loadFeatureArray(const fs::path& file, std::int64_t rows, std::int64_t dim) {
    auto a = readNpy(file);
    requireShape(a, {rows, dim}, file.string());
    requireFinite(a, file.string());
    return takeFloat(std::move(a));
}

std::vector<float> loadPseudoLabels(const fs::path& file) {
    auto a = readNpy(file);
    requireShape(a, {kLlpSegments, kNumClasses}, file.string());
    auto v = takeFloat(std::move(a));
    for (std::size_t i = 0; i < v.size(); ++i)
        if (v[i] != 0.0F && v[i] != 1.0F)
            throw InputError(file.string(), 0,
                             "pseudo labels must be 0 or 1; element [" +
                                 std::to_string(i / kNumClasses) + ", " +
                                 std::to_string(i % kNumClasses) + "] is " + std::to_string(v[i]));
    return v;
}

FeatureDataset::FeatureDataset(fs::path root, std::vector<FeatureVideo> videos,
                               const FeatureDatasetOptions& options)
    : root_(std::move(root)), videos_(std::move(videos)) {
    if (!fs::is_directory(root_)) throw InputError(root_.string(), 0, "not a folder");
    for (const char* f : {FeatureFolders::audio, FeatureFolders::visual})
        if (!fs::is_directory(root_ / f))
            throw InputError((root_ / f).string(), 0,
                             "missing folder (a feature root holds audio/ and visual/, "
                             "see avvp synth --help)");
    if (videos_.empty()) throw InputError(root_.string(), 0, "no videos to load");
    // Whether a stream (its folder, or the two of the pseudo labels) is used.
    auto used = [&](StreamUse use, std::initializer_list<const char*> streamFolders) {
        if (use == StreamUse::AnyVideo) {
            for (const char* folder : streamFolders)
                for (std::size_t i = 0; i < videos_.size(); ++i)
                    if (fs::exists(file(folder, i))) return true;
            return false;
        }
        bool all = true;
        for (const char* folder : streamFolders) all = all && useStream(use, root_ / folder);
        return all;
    };
    spec_.motion = used(options.motion, {FeatureFolders::motion});
    spec_.pseudo =
        used(options.pseudo, {FeatureFolders::pseudoAudio, FeatureFolders::pseudoVisual});

    std::vector<const char*> folders = {FeatureFolders::audio, FeatureFolders::visual};
    if (spec_.motion) folders.push_back(FeatureFolders::motion);
    if (spec_.pseudo) {
        folders.push_back(FeatureFolders::pseudoAudio);
        folders.push_back(FeatureFolders::pseudoVisual);
    }
    for (const char* folder : folders) {
        std::size_t missing = 0;
        fs::path first;
        for (std::size_t i = 0; i < videos_.size(); ++i) {
            if (fs::exists(file(folder, i))) continue;
            if (missing++ == 0) first = file(folder, i);
        }
        if (missing)
            throw InputError(
                first.string(), 0,
                "missing" + (missing > 1 ? " (and " + std::to_string(missing - 1) +
                                               " more videos lack a " + folder + " file)"
                                         : std::string()));
    }

    spec_.audio = detect(file(FeatureFolders::audio, 0), spec_.audioShape, "audio",
                         "64 (CLAP token maps) or 10 (VGGish)", audioFeatureFromRows);
    spec_.visual =
        detect(file(FeatureFolders::visual, 0), spec_.visualShape, "visual",
               "10 (CLIP) or 80 (ResNet152, 8 frames per second)", visualFeatureFromRows);
    if (spec_.motion)
        detect(file(FeatureFolders::motion, 0), spec_.motionShape, "motion",
               "10 (one R(2+1)D vector per second)", [](std::int64_t rows) {
                   return rows == kLlpSegments ? std::optional<bool>(true) : std::nullopt;
               });
}

fs::path FeatureDataset::file(const char* folder, std::size_t i) const {
    return root_ / folder / (videos_.at(i).id + ".npy");
}

VideoFeatures FeatureDataset::load(std::size_t i) const {
    VideoFeatures f;
    f.audio = loadFeatureArray(file(FeatureFolders::audio, i), spec_.audioShape.rows,
                               spec_.audioShape.dim);
    f.visual = loadFeatureArray(file(FeatureFolders::visual, i), spec_.visualShape.rows,
                                spec_.visualShape.dim);
    if (spec_.motion)
        f.motion = loadFeatureArray(file(FeatureFolders::motion, i), spec_.motionShape.rows,
                                    spec_.motionShape.dim);
    if (spec_.pseudo) {
        f.pseudoAudio = loadPseudoLabels(file(FeatureFolders::pseudoAudio, i));
        f.pseudoVisual = loadPseudoLabels(file(FeatureFolders::pseudoVisual, i));
    }
    return f;
}

}  // namespace avvp::core
