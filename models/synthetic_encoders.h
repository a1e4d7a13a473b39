#pragma once
// SYNTHETIC stand-in encoders: TorchScript modules in the encoder folder layout of
// models/encoders.h (manifest.json + .pt), made without Python and without downloads, for
// machines where CLIP and CLAP weights cannot be had. They are no feature extractors:
// they read a rendered SYNTHETIC label video (core/media/label_video.h) and emit the
// synthetic dataset's features (core/synth.h), so that a model trained on `avvp synth`
// data parses a rendered video end to end (extract -> run -> score). Plain types only.
//
// Image module, per frame (N, 3, size, size) normalised as CLIP: it undoes the
// normalisation, averages a 3 x 3 patch at the centre of every class-strip cell
// (core::synthStripCell: fractions of the centred square, which is exactly what the centre
// crop keeps) and calls a cell lit when its brightest channel exceeds `cellThreshold`.
// Audio module, per window (1, 10 s * sampleRate) mono: the window is cut into the token
// map's time columns (CLAP tokens: 32 columns of 0.3125 s; VGGish: 10 of 1 s), and the
// amplitude of every class tone (core::synthClassPitch) is measured with a Hann-windowed
// DFT basis (a buffer); a class is heard where it exceeds `toneThreshold`.
//
// Output, as SynthGenerator::features makes it: for every row, the sum of the prototypes
// of the classes detected in it with a per-class amplitude in [0.7, 1.1], a background
// vector of norm 0.6, at times (p = 0.3 per segment) a distractor prototype at 0.25 of a
// class not detected in the window, and Gaussian noise of norm `noise` (sigma =
// noise / sqrt(dim)); CLIP rows are L2-normalised (the manifest's l2_normalize). What
// differs from the generator: the amplitudes, background and distractors are drawn per
// forward call (per 10 s window) instead of per video, the noise comes from a fixed bank
// of 512 Gaussian vectors (rotated and chosen by a hash of the input, so the same input
// gives the same features), and a token shows the classes heard during its own 0.3125 s
// rather than during its whole segment.
#include <filesystem>
#include <string>
#include <vector>

#include "core/features.h"
#include "models/export.h"

namespace avvp::models {

struct SyntheticEncoderSpec {
    core::AudioFeature audio = core::AudioFeature::ClapTokens;
    core::VisualFeature visual = core::VisualFeature::Clip;
    std::vector<float> audioPrototypes, visualPrototypes;  // (25, dim) each, C order
    double noise = 2.0;
    int imageSize = 224;
    int sampleRate = 16000;
    double toneThreshold = 0.04;  // tone amplitude (full scale 1; rendered tones ~0.13)
    double cellThreshold = 0.5;   // brightest channel of a cell in [0, 1]
    std::string origin;           // where the prototypes come from, for the manifest
};

// Writes folder/manifest.json, synthetic_image.pt, synthetic_audio.pt and README.md (the
// folder is created; files of the same names are replaced). Throws core::InputError on a
// write error, std::invalid_argument on prototypes of the wrong size.
AVVP_MODELS_API void writeSyntheticEncoders(const std::filesystem::path& folder,
                                            const SyntheticEncoderSpec& spec);

// The spec of a dataset folder written by core::writeSynthDataset: its class prototypes
// (class_emb/audio.npy, visual.npy) and options (timeline.json: noise, feature kinds).
// Throws core::InputError naming the file that is missing or wrong.
AVVP_MODELS_API SyntheticEncoderSpec syntheticEncoderSpec(const std::filesystem::path& dataset);

}  // namespace avvp::models
