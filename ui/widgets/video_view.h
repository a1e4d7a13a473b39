#pragma once
// Paints the player's current frame itself (QImage over the decoded BGRA pixels, no
// copy), letterboxed at its display aspect ratio (pixel aspect and rotation applied), with a
// one-second segment grid along the bottom, the time code and, for media rendered from labels, a
// SYNTHETIC badge. Without media it says why.
#include <QWidget>

namespace avvp::ui {

class Playback;

class VideoView : public QWidget {
    Q_OBJECT
  public:
    explicit VideoView(Playback* playback, QWidget* parent = nullptr);

    // Text shown when nothing plays (no media for this video, an error).
    void setPlaceholder(const QString& text);
    void setSynthetic(bool synthetic);
    bool synthetic() const { return synthetic_; }
    void setSegmentGrid(bool on);
    // Segments of the video on the grid (its duration rounded up), 0 = from the player.
    void setSegments(int segments);

    // The largest rectangle of this display aspect ratio (width / height) centred in
    // `area` (letterbox or pillarbox); empty for an aspect of 0.
    static QRect pictureRect(const QSize& area, double aspect);

    QSize sizeHint() const override { return {640, 360}; }
    QSize minimumSizeHint() const override { return {240, 135}; }

  signals:
    void seekRequested(double seconds);

  protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

  private:
    QRect gridRect() const;
    void updateDisplaySize();

    Playback* playback_;
    QString placeholder_;
    bool synthetic_ = false;
    bool grid_ = true;
    int segments_ = 0;
};

}  // namespace avvp::ui
