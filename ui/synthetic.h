#pragma once
// What the GUI labels as synthetic: videos of the synthetic LLP-like dataset (`avvp synth`
// names them "synth<6 digits>_<start>_<end>") and media files rendered from labels (the
// demo's videos), whose folder carries a README.md whose first line says SYNTHETIC or a
// file named SYNTHETIC.
#include <QHash>
#include <QString>

namespace avvp::ui {

bool isSyntheticVideoName(const QString& filename);
// Whether a media file is marked synthetic; remembers the folders it has looked at.
class SyntheticMediaCheck {
  public:
    bool operator()(const QString& mediaPath);

  private:
    QHash<QString, bool> folders_;
};

}  // namespace avvp::ui
