#pragma once
// Combo boxes whose text reads: wide enough for their longest item (up to a cap), so that
// "Ground truth: any" is not cut to "Ground trut" (issue 17, item 4).
#include <QComboBox>
#include <QFontMetrics>
#include <algorithm>

namespace avvp::ui {

// Sets `c`'s minimum contents length (AdjustToMinimumContentsLengthWithIcon) to the width
// of its widest item in characters, between `minChars` and `maxChars` (its size hint), and
// lets it shrink to `minChars` where space is short. Call it again when the items change.
inline void fitComboToItems(QComboBox* c, int minChars, int maxChars) {
    const QFontMetrics fm(c->font());
    int widest = 0;
    for (int i = 0; i < c->count(); ++i)
        widest = std::max(widest, fm.horizontalAdvance(c->itemText(i)));
    const int x = std::max(1, fm.horizontalAdvance(QLatin1Char('x')));
    c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    c->setMinimumContentsLength(std::clamp((widest + x - 1) / x + 1, minChars, maxChars));
    // That is the size it asks for; on a small screen it may shrink to `minChars`, so that
    // the window still fits (an explicit minimum width overrides the minimum size hint).
    c->setMinimumWidth(x * minChars + 2 * fm.height());
}

}  // namespace avvp::ui
