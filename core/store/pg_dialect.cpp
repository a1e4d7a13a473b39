#include "core/store/pg_dialect.h"

#include <cctype>
#include <regex>

namespace avvp::store {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && lower(text.substr(0, prefix.size())) == prefix;
}

std::string percentDecode(std::string_view s) {
    std::string out;
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

}  // namespace

bool isPostgresUrl(std::string_view text) {
    return startsWithNoCase(text, "postgresql://") || startsWithNoCase(text, "postgres://");
}

std::string PgUrl::display() const {
    std::string s = "postgresql://";
    if (!user.empty()) s += user + "@";
    s += host.find(':') != std::string::npos ? "[" + host + "]" : host;
    s += ":" + std::to_string(port) + "/" + database;
    return s;
}

std::optional<PgUrl> parsePgUrl(std::string_view text, std::string* problem) {
    auto bad = [&](std::string why) -> std::optional<PgUrl> {
        if (problem) *problem = std::move(why);
        return std::nullopt;
    };
    if (!isPostgresUrl(text)) return bad("not a postgresql:// URL");
    std::string_view rest = text.substr(text.find("://") + 3);
    if (const auto q = rest.find('?'); q != std::string_view::npos) rest = rest.substr(0, q);
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos || slash + 1 >= rest.size())
        return bad("no database name (postgresql://user@host:port/DATABASE)");
    PgUrl url;
    url.database = percentDecode(rest.substr(slash + 1));
    if (url.database.find('/') != std::string::npos)
        return bad("a database name holds no '/' (postgresql://user@host:port/DATABASE)");
    std::string_view authority = rest.substr(0, slash);
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        const auto userinfo = authority.substr(0, at);
        authority = authority.substr(at + 1);
        const auto colon = userinfo.find(':');
        url.user = percentDecode(userinfo.substr(0, colon));
        if (colon != std::string_view::npos)
            url.password = percentDecode(userinfo.substr(colon + 1));
    }
    std::string_view host = authority, port;
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return bad("an IPv6 host without its closing ']'");
        host = authority.substr(1, close - 1);
        if (close + 1 < authority.size()) {
            if (authority[close + 1] != ':') return bad("text after the IPv6 host");
            port = authority.substr(close + 2);
        }
    } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
        host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
    }
    if (!host.empty()) url.host = percentDecode(host);
    if (!port.empty()) {
        int p = 0;
        for (char c : port) {
            if (c < '0' || c > '9' || p > 65535) return bad("the port is no number 1 to 65535");
            p = p * 10 + (c - '0');
        }
        if (p < 1 || p > 65535) return bad("the port is no number 1 to 65535");
        url.port = p;
    }
    return url;
}

std::string redactUrl(std::string_view text) {
    if (!isPostgresUrl(text)) return std::string(text);
    if (const auto url = parsePgUrl(text)) return url->display();
    // Unparsable: still never show what could be a password.
    const auto scheme = text.find("://") + 3;
    const auto at = text.find('@', scheme);
    const auto colon = text.find(':', scheme);
    if (at != std::string_view::npos && colon < at)
        return std::string(text.substr(0, colon)) + std::string(text.substr(at));
    return std::string(text);
}

std::vector<std::string> toPostgres(std::string_view sqliteSql) {
    const std::string_view sql = trim(sqliteSql);
    const std::string low = lower(sql);
    if (low == "begin immediate")
        return {"BEGIN", "SELECT pg_advisory_xact_lock(" + std::to_string(kPgWriteLock) + ")"};
    if (low == "begin") return {"BEGIN ISOLATION LEVEL REPEATABLE READ"};
    if (low.starts_with("pragma")) {
        static const std::regex assign(R"(pragma\s+(\w+)\s*=\s*(-?\d+))");
        std::smatch m;
        if (std::regex_match(low, m, assign)) {
            if (m[1] == "user_version" || m[1] == "application_id")
                return {"UPDATE avvp_schema SET " + m[1].str() + " = " + m[2].str()};
            return {};  // busy_timeout, foreign_keys, journal_mode, synchronous: no such thing
        }
        const std::string name(trim(std::string_view(low).substr(6)));
        if (name == "user_version" || name == "application_id")
            return {"SELECT " + name + " FROM avvp_schema"};
        if (name == "data_version") return {"SELECT changes FROM avvp_schema"};
        if (name == "integrity_check" || name == "quick_check")
            return {
                "SELECT CASE WHEN n = 0 THEN 'ok' ELSE CAST(n AS TEXT) || ' inconsistent rows "
                "(events with offset <= onset, or without their video)' END FROM (SELECT "
                "(SELECT count(*) FROM events WHERE offset_ms <= onset_ms) + (SELECT count(*) "
                "FROM events e LEFT JOIN videos v ON v.id = e.video_id WHERE v.id IS NULL) AS n) "
                "t"};
        return {};
    }
    std::string out(sql);
    if (low.starts_with("create table") || low.starts_with("alter table")) {
        static const std::regex rowid(R"(\s+WITHOUT\s+ROWID\s*$)", std::regex::icase);
        static const std::regex idKey(R"(\bid\s+INTEGER\s+PRIMARY\s+KEY(\s+AUTOINCREMENT)?)",
                                      std::regex::icase);
        static const std::regex integer(R"(\bINTEGER\b)", std::regex::icase);
        static const std::regex real(R"(\bREAL\b)", std::regex::icase);
        static const std::regex blob(R"(\bBLOB\b)", std::regex::icase);
        out = std::regex_replace(out, rowid, "");
        out = std::regex_replace(out, idKey,
                                 "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
        out = std::regex_replace(out, integer, "BIGINT");
        out = std::regex_replace(out, real, "DOUBLE PRECISION");
        out = std::regex_replace(out, blob, "BYTEA");
        return {out};
    }
    static const std::regex orIgnore(R"(^INSERT\s+OR\s+IGNORE\s+INTO)", std::regex::icase);
    if (std::regex_search(out, orIgnore)) {
        out = std::regex_replace(out, orIgnore, "INSERT INTO");
        out += " ON CONFLICT DO NOTHING";
    }
    // `x IS ?` compares with NULL as SQLite's IS does.
    static const std::regex isParam(R"(\bIS\s+\?)", std::regex::icase);
    out = std::regex_replace(out, isParam, "IS NOT DISTINCT FROM ?");
    return {out};
}

}  // namespace avvp::store
