#pragma once
// ui::Document over the workspace's session: what the views read of the open project and
// the edits they ask for, with the session's signals passed on.
#include "ui/document.h"

namespace avvp::workspace {
class Session;
}

namespace avvp::app {

class SessionDocument final : public ui::Document {
    Q_OBJECT
  public:
    explicit SessionDocument(workspace::Session* session, QObject* parent = nullptr);

    workspace::Session* session() const { return session_; }

    const store::Store* store() const override;
    QString path() const override;
    QString annotator() const override;
    std::optional<store::RunId> run() const override;
    void setRun(std::optional<store::RunId> run) override;
    std::vector<store::Run> runs() const override;
    std::optional<store::Run> currentRun() const override;
    std::optional<core::Thresholds> thresholds() const override;
    void setThresholds(std::optional<core::Thresholds> thresholds) override;
    bool apply(const std::vector<store::Edit>& edits, const QString& description = {}) override;
    using ui::Document::apply;
    std::vector<store::EventId> lastEvents() const override;

  private:
    workspace::Session* session_;
};

}  // namespace avvp::app
