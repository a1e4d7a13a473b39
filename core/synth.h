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
    // Long videos (synthLongVideos): when above their `seconds`, each video's length is
    // drawn uniformly from [seconds, longMaxSeconds] (`avvp synth --seconds 30-120`).
    double longMaxSeconds = 0.0;
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

// ---- What a rendered SYNTHETIC label video looks and sounds like -------------------------
// Shared by the renderer (core/media/label_video.h) and the SYNTHETIC stand-in encoders
// (models/synthetic_encoders.h), which read the class strip and the class tones back.

// The tone of a class in Hz: 220 Hz * 2^(class / 5), five classes to the octave (the
// highest, class 24, is about 6.1 kHz: below the Nyquist frequency of 16 kHz audio).
double synthClassPitch(int cls);
// A class tone's amplitude: kSynthToneAmplitude * (0.65 + 0.35 sin(2 pi f_trem t)) with a
// tremolo of synthTremoloHz(cls) = 2 + cls % 5 Hz, faded over 10 ms at the event edges.
inline constexpr double kSynthToneAmplitude = 0.2;
double synthTremoloHz(int cls);

// The class strip: 25 cells (one per class, canonical order) in two rows (classes 0-12,
// 13-24) inside the centred square of the picture (side = the shorter side), so that the
// centre crop of CLIP-style preprocessing keeps every cell. Coordinates are fractions of
// that square's side, from its top-left corner.
struct SynthStripCell {
    double x0, y0, x1, y1;  // the cell's rectangle
    double cx() const { return (x0 + x1) / 2; }
    double cy() const { return (y0 + y1) / 2; }
};
SynthStripCell synthStripCell(int cls);

// ---- Long SYNTHETIC videos (`avvp synth --render --seconds N`) ------------------------
// Events at real times (milliseconds, not on second boundaries), with the audio and visual
// events of many heard-and-seen classes at different times: what a user's own video
// looks like, unlike the dataset's 10 s clips. A pure function of the options (seed,
// misaligned) and the index.
struct SynthSpan {
    int cls = 0;
    std::int64_t onsetMs = 0, offsetMs = 0;
    bool operator==(const SynthSpan&) const = default;
};
struct SynthLongVideo {
    std::string id;  // "long0000042": 11 characters, distinct from the clips' "synth..."
    std::int64_t durationMs = 0;
    std::vector<SynthSpan> audio, visual;  // sorted by class then onset; same-class spans
                                           // of a modality never overlap
};
// `count` videos of `seconds` (>= 10) each, or of lengths drawn from [seconds,
// options.longMaxSeconds] when that is larger (on a 0.2 s grid). Throws InputError on a
// bad count or length.
std::vector<SynthLongVideo> synthLongVideos(const SynthOptions& options, int count, double seconds);
// Their labels, for `avvp import --add-videos --format json FILE` (our JSON label format,
// "avvp-labels": duration, media path under `mediaDir`, ground-truth events in seconds)
// and a timeline.json like the dataset's (times in seconds). Throws InputError on a write
// error.
void writeSynthLongLabels(const std::filesystem::path& jsonFile,
                          const std::filesystem::path& timelineFile,
                          const std::vector<SynthLongVideo>& videos,
                          const std::filesystem::path& mediaDir);

// Writes the whole dataset under `out` (created; it must be empty or absent):
//   features/{audio,visual,motion,pseudo_audio,pseudo_visual}/<id>.npy
//   labels/AVVP_{train,val_pd,test_pd,dataset_full,eval_audio,eval_visual}.csv
//   class_emb/{audio,visual}.npy  (25, dim) the class prototypes of each feature space:
//                  the synthetic stand-in for CLAP / CLIP class text embeddings
//   timeline.json  every video's audio and visual events (all splits): what a renderer
//                  turns into a matching video; also the options (noise, feature kinds)
//                  the SYNTHETIC stand-in encoders need (models/synthetic_encoders.h)
//   README.md      what this folder is (marked synthetic) and how it was made
// `progress` gets the fraction done; cancelling it stops the writing (Cancelled; what was
// written stays). Throws InputError on a bad option or a write error.
SynthSummary writeSynthDataset(const std::filesystem::path& out, const SynthOptions& options,
                               Progress* progress = nullptr);

}  // namespace avvp::core
