#include "app/workspace/stage_names.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QtGlobal>
#include <array>

namespace avvp::workspace {

namespace {

constexpr const char* kContext = "avvp::workspace::Stage";

// The stages reported by name alone, by the workflows of app/workspace and the store's
// and models' work they run as jobs.
constexpr std::array kNames = {
    // app/workspace
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "loading"),
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "loading the encoders"),
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "recording the features"),
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "storing"),
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "reading"),
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "reading the store"),
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "writing"),
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "ready"),
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "importing the LLP annotations"),
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "synthetic dataset (avvp synth --render)"),
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "synthetic predictions"),
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "synthetic training data"),
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "training the demo model"),
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "rendering a long SYNTHETIC video"),
    // core/store
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "ground truth"),
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "predictions"),
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "scoring"),
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "comparing"),
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "probabilities"),
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "reference labels"),
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "ranking"),
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "labels"),
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "videos"),
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "reading files"),
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "listing features"),
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "reading .npy headers"),
    // core, core/media, models
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "written"),
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "rendered"),
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "spectrogram"),
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "predicting"),
    QT_TRANSLATE_NOOP("avvp::workspace::Stage", "done"),
};

// The stages made of names and numbers: the English pattern and its source text, whose
// %1, %2, ... are the pattern's groups in order.
struct Pattern {
    const char* regex;
    const char* source;
};
const std::array kPatterns = {
    Pattern{"^labels of (.+)$", QT_TRANSLATE_NOOP("avvp::workspace::Stage", "labels of %1")},
    Pattern{"^predictions of (.+)$",
            QT_TRANSLATE_NOOP("avvp::workspace::Stage", "predictions of %1")},
    Pattern{"^(\\d+) of (\\d+) videos$",
            QT_TRANSLATE_NOOP("avvp::workspace::Stage", "%1 of %2 videos")},
    Pattern{"^video (\\d+) of (\\d+) · (.+)$",
            QT_TRANSLATE_NOOP("avvp::workspace::Stage", "video %1 of %2 · %3")},
    Pattern{"^window (\\d+) of (\\d+)$",
            QT_TRANSLATE_NOOP("avvp::workspace::Stage", "window %1 of %2")},
    Pattern{"^video (\\d+) of (\\d+)$",
            QT_TRANSLATE_NOOP("avvp::workspace::Stage", "video %1 of %2")},
    Pattern{"^audio window (\\d+) of (\\d+)$",
            QT_TRANSLATE_NOOP("avvp::workspace::Stage", "audio window %1 of %2")},
    Pattern{"^visual window (\\d+) of (\\d+)$",
            QT_TRANSLATE_NOOP("avvp::workspace::Stage", "visual window %1 of %2")},
    Pattern{"^epoch (\\d+)/(\\d+)$", QT_TRANSLATE_NOOP("avvp::workspace::Stage", "epoch %1/%2")},
    Pattern{"^epoch (\\d+)/(\\d+) validation$",
            QT_TRANSLATE_NOOP("avvp::workspace::Stage", "epoch %1/%2 validation")},
};

QString translateOne(const QString& stage) {
    const QByteArray utf8 = stage.toUtf8();
    for (const char* name : kNames)
        if (utf8 == name) return QCoreApplication::translate(kContext, name);
    static const auto compiled = [] {
        std::array<QRegularExpression, kPatterns.size()> out;
        for (std::size_t i = 0; i < out.size(); ++i)
            out[i].setPattern(QString::fromUtf8(kPatterns[i].regex));
        return out;
    }();
    for (std::size_t i = 0; i < kPatterns.size(); ++i) {
        const auto m = compiled[i].match(stage);
        if (!m.hasMatch()) continue;
        const QString text = QCoreApplication::translate(kContext, kPatterns[i].source);
        switch (m.lastCapturedIndex()) {
            case 1:
                return text.arg(m.captured(1));
            case 2:
                return text.arg(m.captured(1), m.captured(2));
            default:
                return text.arg(m.captured(1), m.captured(2), m.captured(3));
        }
    }
    return stage;
}

// A nested range's "outer: inner" part by part ("writing: labels").
QString translateNested(const QString& text) {
    const auto sep = text.indexOf(QLatin1String(": "));
    if (sep <= 0) return translateOne(text);
    return QCoreApplication::translate("avvp::workspace::Stage", "%1: %2")
        .arg(translateOne(text.left(sep)), translateNested(text.mid(sep + 2)));
}

}  // namespace

QString stageText(std::string_view stage) {
    return translateNested(QString::fromUtf8(stage.data(), static_cast<qsizetype>(stage.size())));
}

}  // namespace avvp::workspace
