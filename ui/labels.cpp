#include "ui/labels.h"

#include <QCoreApplication>
#include <cmath>

namespace avvp::ui {

namespace {
QString t(const char* s) {
    return QCoreApplication::translate("avvp::ui::Labels", s);
}

QString seconds(std::int64_t ms) {
    if (ms % 100 == 0) return QString::number(static_cast<double>(ms) / 1000.0, 'f', 1);
    return QString::number(static_cast<double>(ms) / 1000.0, 'f', 3);
}
}  // namespace

QString splitLabel(std::optional<core::Split> split) {
    if (!split) return t(QT_TRANSLATE_NOOP("avvp::ui::Labels", "own"));
    switch (*split) {
        case core::Split::Train:
            return t(QT_TRANSLATE_NOOP("avvp::ui::Labels", "train"));
        case core::Split::Val:
            return t(QT_TRANSLATE_NOOP("avvp::ui::Labels", "val"));
        case core::Split::Test:
            return t(QT_TRANSLATE_NOOP("avvp::ui::Labels", "test"));
    }
    return {};
}

QString modalityLabel(core::Modality m) {
    return m == core::Modality::Audio ? t(QT_TRANSLATE_NOOP("avvp::ui::Labels", "Audio"))
                                      : t(QT_TRANSLATE_NOOP("avvp::ui::Labels", "Visual"));
}

QString sourceLabel(store::Source s) {
    switch (s) {
        case store::Source::GroundTruth:
            return t(QT_TRANSLATE_NOOP("avvp::ui::Labels", "Ground truth"));
        case store::Source::Prediction:
            return t(QT_TRANSLATE_NOOP("avvp::ui::Labels", "Prediction"));
        case store::Source::Correction:
            return t(QT_TRANSLATE_NOOP("avvp::ui::Labels", "Correction"));
    }
    return {};
}

QString reviewLabel(store::Review r) {
    switch (r) {
        case store::Review::None:
            return t(QT_TRANSLATE_NOOP("avvp::ui::Labels", "not reviewed"));
        case store::Review::Accepted:
            return t(QT_TRANSLATE_NOOP("avvp::ui::Labels", "accepted"));
        case store::Review::Rejected:
            return t(QT_TRANSLATE_NOOP("avvp::ui::Labels", "rejected"));
    }
    return {};
}

QString className(int cls) {
    if (cls < 0 || cls >= core::kNumClasses) return QStringLiteral("?");
    return QString::fromLatin1(core::kClassNames[static_cast<std::size_t>(cls)].data());
}

QString formatSpan(std::int64_t onsetMs, std::int64_t offsetMs) {
    return QStringLiteral("%1–%2 s").arg(seconds(onsetMs), seconds(offsetMs));
}

QString formatTime(double s) {
    if (!(s >= 0)) s = 0;
    const auto ms = static_cast<std::int64_t>(std::llround(s * 1000.0));
    return QStringLiteral("%1:%2.%3")
        .arg(ms / 60000)
        .arg((ms / 1000) % 60, 2, 10, QLatin1Char('0'))
        .arg(ms % 1000, 3, 10, QLatin1Char('0'));
}

}  // namespace avvp::ui
