#pragma once
// The synthetic LLP-like dataset of `avvp synth` (product.md, "Demo data"): videos of ten
// one-second segments whose audio and visual events are drawn per class, with a fraction
// of the audio-visual classes deliberately not aligned in time; features in VALOR's
// exact shapes made from per-class prototypes plus noise; weak labels for every split,
// dense labels for val and test in LLP CSV format; noisy segment pseudo labels.
// Everything is a pure function of the options (seed included), on any platform: the
// random numbers come from our own generator, not from <random>'s distributions.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/features.h"
#include "core/label_grid.h"
#include "core/llp_dataset.h"
#include "core/progress.h"

namespace avvp::core {

struct SynthOptions {
    int videos = 1000;
    std::uint64_t seed = 1;
    // Fraction of the classes that are both heard and seen in a video whose audio and
    // visual events cover different segments (the non-aligned cases of LLP).
    double misaligned = 0.3;
    AudioFeature audio = AudioFeature::ClapTokens;
    VisualFeature visual = VisualFeature::Clip;
    bool motion = true;
    // Feature noise: the norm of the per-row Gaussian noise relative to a unit prototype.
    double noise = 2.0;
    double trainFraction = 0.7;  // the rest is split evenly into val and test
};

struct SynthVideo {
    std::string filename;  // "synth000042_0_10": an 11-char id, LLP-style suffix
    Split split = Split::Train;
    ClassSet weak = 0;
    std::vector<Event> audio, visual;     // dense ground truth, one event per class and modality
    LabelGrid pseudoAudio, pseudoVisual;  // noisy segment pseudo labels (VALOR-style)
    int misalignedClasses = 0;            // classes heard and seen at different times
    int audioVisualClasses = 0;           // classes both heard and seen
};

struct SynthFeatures {
    std::vector<float> audio, visual, motion;  // C order, standard shapes (motion may be empty)
};

class SynthGenerator {
  public:
    explicit SynthGenerator(const SynthOptions& options);

    const SynthOptions& options() const { return options_; }
    const std::vector<SynthVideo>& videos() const { return videos_; }
    // The features of one video (thread-safe, deterministic per seed and index).
    SynthFeatures features(std::size_t index) const;
    // The unit class prototypes, (25, dim) in C order: the synthetic stand-in for class
    // text embeddings in the audio / visual feature spaces (LINK's PLSIM tables, zero-shot
    // labels).
    const std::vector<float>& audioPrototypes() const { return protoAudio_; }
    const std::vector<float>& visualPrototypes() const { return protoVisual_; }

  private:
    SynthOptions options_;
    std::vector<SynthVideo> videos_;
    // Unit prototypes per class: audio, visual and motion feature spaces.
    std::vector<float> protoAudio_, protoVisual_, protoMotion_;
};

struct SynthSummary {
    std::size_t videos[3] = {0, 0, 0};  // train, val, test
    std::size_t audioVisualClasses = 0, misalignedClasses = 0;
    std::size_t audioEvents = 0, visualEvents = 0;
    std::uintmax_t bytes = 0;
};

// Writes the whole dataset under `out` (created; it must be empty or absent):
//   features/{audio,visual,motion,pseudo_audio,pseudo_visual}/<id>.npy
//   labels/AVVP_{train,val_pd,test_pd,dataset_full,eval_audio,eval_visual}.csv
//   class_emb/{audio,visual}.npy  (25, dim) the class prototypes of each feature space:
//                  the synthetic stand-in for CLAP / CLIP class text embeddings
//   timeline.json  every video's audio and visual events (all splits): what a renderer
//                  turns into a matching video, and what `--render` will consume
//   README.md      what this folder is (marked synthetic) and how it was made
// `progress` gets the fraction done; cancelling it stops the writing (Cancelled; what was
// written stays). Throws InputError on a bad option or a write error.
SynthSummary writeSynthDataset(const std::filesystem::path& out, const SynthOptions& options,
                               Progress* progress = nullptr);

}  // namespace avvp::core
