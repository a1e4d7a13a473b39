#include "core/store/co_editors.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <map>

#include "core/store/store_impl.h"

namespace avvp::store {

std::vector<CoEditor> coEditors(Store& store, VideoId video, std::int64_t withinMs) {
    auto& d = store.impl();
    std::map<std::string, Timestamp> latest;
    Rows r(
        d.run("SELECT annotator, changes, at, state_at FROM edits WHERE (at >= ? OR "
              "state_at >= ?) AND annotator <> ?",
              nowMs() - withinMs, nowMs() - withinMs, d.annotator));
    while (r.next()) {
        const auto name = r.str(0);
        const Timestamp at = std::max(r.i64(2), r.i64(3));
        if (const auto it = latest.find(name); it != latest.end() && it->second >= at) continue;
        const auto steps = QJsonDocument::fromJson(r.bytes(1)).array();
        for (const auto& step : steps) {
            const auto o = step.toObject();
            const auto touches = [&](const char* key) {
                const auto e = o.value(QLatin1String(key));
                return e.isObject() && e.toObject().value("video").toInteger() == video;
            };
            if (touches("before") || touches("after")) {
                latest[name] = at;
                break;
            }
        }
    }
    std::vector<CoEditor> out;
    for (const auto& [name, at] : latest) out.push_back({name, at});
    std::stable_sort(out.begin(), out.end(), [](const CoEditor& a, const CoEditor& b) {
        return a.lastEditAt > b.lastEditAt;
    });
    return out;
}

}  // namespace avvp::store
