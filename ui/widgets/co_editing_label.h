#pragma once
// The status bar's notice that someone else is editing the shown video (issue 18, item 5):
// "Also editing this video: bob (2 min ago), carol (just now)". Hidden when nobody is.
#include <QLabel>
#include <vector>

#include "core/store/co_editors.h"

namespace avvp::ui {

class CoEditingLabel : public QLabel {
    Q_OBJECT
  public:
    explicit CoEditingLabel(QWidget* parent = nullptr);
    // The notice's text for `editors` at `nowMs` (ms since the epoch); empty when none.
    static QString noticeText(const std::vector<store::CoEditor>& editors, qint64 nowMs);

  public slots:
    void setEditors(const std::vector<avvp::store::CoEditor>& editors, qint64 nowMs);
};

}  // namespace avvp::ui
